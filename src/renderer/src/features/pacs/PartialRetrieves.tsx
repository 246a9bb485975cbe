// Interrupted retrieves (renderer): the series a cancel, crash or lost connection left partly
// downloaded in the project — Resume runs the same retrieve again (fetching only the rest),
// Discard deletes the downloaded instances (asks once).
import { useState } from 'react';
import type { PartialRetrieve } from '../../../../shared/contract/pacs';
import { jobEnded } from './jobText';
import { usePacsJobStore } from './jobStore';
import { partialText, resumeParams } from './retrieveRequest';

export function PartialRetrieves() {
  const partial = usePacsJobStore((s) => s.partial);
  const error = usePacsJobStore((s) => s.error);
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {partial.length > 0 && (
        <section className="pacs-partial" aria-labelledby="pacs-partial-title">
          <h3 id="pacs-partial-title">Interrupted retrieves</h3>
          <ul aria-label="Interrupted retrieves">
            {partial.map((p, i) => (
              <PartialItem key={p.key} partial={p} n={i + 1} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function PartialItem({ partial, n }: { partial: PartialRetrieve; n: number }) {
  const running = usePacsJobStore((s) => !jobEnded(s.job));
  const retrieve = usePacsJobStore((s) => s.retrieve);
  const discard = usePacsJobStore((s) => s.discard);
  const [confirming, setConfirming] = useState(false);
  return (
    <li>
      <div className="study-meta pacs-url">{partialText(partial)}</div>
      <div className="row">
        <button
          type="button"
          aria-label={`Resume interrupted retrieve ${n}`}
          disabled={running}
          onClick={() => void retrieve(resumeParams(partial))}
        >
          Resume
        </button>
        {confirming ? (
          <>
            <span>Delete {partial.downloaded} downloaded instances?</span>
            <button
              type="button"
              aria-label={`Yes, discard interrupted retrieve ${n}`}
              onClick={() => void discard(partial.key)}
            >
              Yes, discard
            </button>
            <button
              type="button"
              aria-label="Keep the download"
              onClick={() => setConfirming(false)}
            >
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            aria-label={`Discard interrupted retrieve ${n}`}
            disabled={running}
            onClick={() => setConfirming(true)}
          >
            Discard
          </button>
        )}
      </div>
    </li>
  );
}

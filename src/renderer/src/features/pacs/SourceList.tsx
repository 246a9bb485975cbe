// Registered DICOMweb sources (renderer): name, URL, how each authenticates and where its
// secret comes from (never the secret), Test (latency or the error), Remove (asks once), and
// the button that opens the "Add source" form.
import { useState } from 'react';
import type { PacsSourceSummary } from '../../../../shared/contract/pacs';
import { authText } from './sourceForm';
import { SourceFormView } from './SourceFormView';
import { useSourcesStore } from './sourcesStore';

export function SourceList() {
  const { sources, loaded, error, configFile } = useSourcesStore();
  const [adding, setAdding] = useState(false);

  return (
    <section className="pacs-sources" aria-labelledby="pacs-sources-title">
      <h3 id="pacs-sources-title">Sources</h3>
      {loaded && sources.length === 0 && (
        <p className="hint">No DICOMweb source yet: add your PACS to search it.</p>
      )}
      {sources.length > 0 && (
        <ul className="pacs-source-list" aria-label="DICOMweb sources">
          {sources.map((s) => (
            <SourceItem key={s.id} source={s} />
          ))}
        </ul>
      )}
      {configFile && sources.length > 0 && <p className="hint">Kept in {configFile}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {adding ? (
        <SourceFormView onDone={() => setAdding(false)} />
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          Add source
        </button>
      )}
    </section>
  );
}

function SourceItem({ source }: { source: PacsSourceSummary }) {
  const test = useSourcesStore((s) => s.tests[source.id]);
  const runTest = useSourcesStore((s) => s.test);
  const remove = useSourcesStore((s) => s.remove);
  const [confirming, setConfirming] = useState(false);
  const label = source.name || source.id;

  return (
    <li>
      <div className="pacs-source-name">
        {label} <span className="study-meta">({source.id})</span>
      </div>
      <div className="study-meta pacs-url">{source.baseUrl}</div>
      <div className="study-meta">{authText(source)}</div>
      <div className="row">
        <button
          type="button"
          aria-label={`Test ${label}`}
          disabled={test === null}
          onClick={() => void runTest(source.id)}
        >
          {test === null ? 'Testing…' : 'Test'}
        </button>
        {confirming ? (
          <>
            <span>Remove {label}?</span>
            <button
              type="button"
              aria-label={`Yes, remove ${label}`}
              onClick={() => void remove(source.id)}
            >
              Yes, remove
            </button>
            <button type="button" aria-label={`Keep ${label}`} onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" aria-label={`Remove ${label}`} onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
      </div>
      {test && (
        <p
          role={test.ok ? 'status' : 'alert'}
          aria-label={`Test of ${label}`}
          className={test.ok ? 'hint' : 'error'}
        >
          {test.text}
        </p>
      )}
    </li>
  );
}

// A PACS job's progress (renderer): bar, "done / total (percent), time left", Cancel while it
// runs, and its failure as one line. Shared by the retrieve and the SEG export panels.
import type { PacsJobState } from '../../../../shared/contract/pacs';
import { jobErrorLine } from './errorText';
import { jobEnded, progressPercent, progressText } from './jobText';
import { usePacsJobStore } from './jobStore';

export function JobProgressView({ job, what }: { job: PacsJobState; what: string }) {
  const cancel = usePacsJobStore((s) => s.cancel);
  const running = !jobEnded(job);
  const p = job.progress;
  return (
    <div className="pacs-job">
      {running && (
        <progress
          aria-label={`${what} progress`}
          max={100}
          value={p && p.total > 0 ? progressPercent(p) : undefined}
        />
      )}
      <div className="row">
        <span role="status" aria-label={`${what} status`}>
          {progressText(job)}
        </span>
        {running && (
          <button type="button" onClick={() => void cancel()}>
            Cancel {what.toLowerCase()}
          </button>
        )}
      </div>
      {job.phase === 'failed' && job.error && (
        <p role="alert" className="error">
          {jobErrorLine(job.error)}
        </p>
      )}
    </div>
  );
}

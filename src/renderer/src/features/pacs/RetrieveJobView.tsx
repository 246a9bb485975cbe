// The retrieve job (renderer): its progress (JobProgressView) and, when it ends, what it did —
// studies imported, SEGs attached, series skipped with the reason, warnings.
import { retrieveHeadline, retrieveNotes } from './jobText';
import { usePacsJobStore } from './jobStore';
import { JobProgressView } from './JobProgressView';

export function RetrieveJobView() {
  const job = usePacsJobStore((s) => s.job);
  if (!job || job.kind !== 'retrieve') return null;
  const result = job.retrieve;
  const notes = result ? retrieveNotes(result) : [];
  return (
    <section className="pacs-retrieve" aria-labelledby="pacs-retrieve-title">
      <h3 id="pacs-retrieve-title">Retrieve from {job.target}</h3>
      <JobProgressView job={job} what="Retrieve" />
      {job.phase === 'cancelled' && (
        <p className="hint">
          Stopped. The instances downloaded so far are kept: resume it below, or discard them.
        </p>
      )}
      {result && (
        <div className="pacs-result">
          <p role="status" aria-label="Retrieve result">
            {retrieveHeadline(result)}
          </p>
          {notes.length > 0 && (
            <ul aria-label="Retrieve details">
              {notes.map((note, i) => (
                <li key={i}>{note}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

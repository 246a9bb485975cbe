// Unreadable studies (renderer): a study folder whose record cannot be read is listed here with
// its reason, instead of making the whole project unreadable; Repair rebuilds the record from
// its files (the old one is kept), Remove sets the folder aside in .removed/ (asks first).
import { useState } from 'react';
import { api } from '../../api/client';
import { useStudiesStore } from './store';

export function StudyProblems() {
  const problems = useStudiesStore((s) => s.project?.problems ?? []);
  const refresh = useStudiesStore((s) => s.refresh);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  if (problems.length === 0 && !message) return null;

  const act = async (studyId: string, action: 'repair' | 'remove') => {
    if (
      action === 'remove' &&
      !window.confirm(`Set study ${studyId} aside? Its folder moves to .removed/ in the project.`)
    )
      return;
    setBusy(studyId);
    try {
      if (action === 'repair') {
        const { changes } = await api.call('studies.repair', { studyId });
        setMessage(`${studyId} repaired: ${changes.join('; ')}`);
      } else {
        const { movedTo } = await api.call('studies.remove', { studyId });
        setMessage(`${studyId} removed (moved to ${movedTo}).`);
      }
      await refresh();
    } catch (error) {
      setMessage(`${studyId}: ${(error as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="study-problems" aria-labelledby="study-problems-title">
      {problems.length > 0 && (
        <>
          <h3 id="study-problems-title">
            {problems.length} {problems.length === 1 ? 'study' : 'studies'} cannot be read
          </h3>
          <ul>
            {problems.map((p) => (
              <li key={p.studyId}>
                <strong>{p.studyId}</strong>: <span className="problem-reason">{p.reason}</span>
                <div className="row">
                  <button
                    type="button"
                    disabled={busy !== null}
                    aria-label={`Repair ${p.studyId}`}
                    onClick={() => void act(p.studyId, 'repair')}
                  >
                    Repair
                  </button>
                  <button
                    type="button"
                    disabled={busy !== null}
                    aria-label={`Remove ${p.studyId}`}
                    onClick={() => void act(p.studyId, 'remove')}
                  >
                    Remove
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {message && (
        <p role="status" className="hint">
          {message}
        </p>
      )}
    </section>
  );
}

// Header project controls (renderer): switch project (back to the welcome screen, which offers
// the demo, recent projects, open and new) — pending edits are saved first.
import { useWelcomeStore } from './store';

export function ProjectControls() {
  const busy = useWelcomeStore((s) => s.busy);
  const error = useWelcomeStore((s) => s.error);
  const closeProject = useWelcomeStore((s) => s.closeProject);
  return (
    <>
      <button
        type="button"
        onClick={() => void closeProject()}
        disabled={busy !== null}
        title="Close this project and choose another"
      >
        {busy === 'close' ? 'Closing…' : 'Close project'}
      </button>
      {error && (
        <span role="alert" className="error header-error">
          {error}
        </span>
      )}
    </>
  );
}

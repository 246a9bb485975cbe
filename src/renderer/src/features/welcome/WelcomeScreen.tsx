// Welcome screen (renderer): shown when no project is open — open the demo (highlighted on the
// first run, with its progress), open or create a project (native dialog in the desktop app, a
// typed path in a browser), the recent projects, and the settings.
import { useState, type FormEvent } from 'react';
import { useSettingsStore } from '../settings/store';
import { useStudiesStore } from '../studies/store';
import { useWelcomeStore } from './store';

export function WelcomeScreen() {
  const app = useStudiesStore((s) => s.app);
  const loadError = useStudiesStore((s) => s.error);
  const refresh = useStudiesStore((s) => s.refresh);
  const busy = useWelcomeStore((s) => s.busy);
  const error = useWelcomeStore((s) => s.error);
  const progress = useWelcomeStore((s) => s.progress);
  const pathForm = useWelcomeStore((s) => s.pathForm);
  const { openDemo, openProject, createProject, forgetRecent } = useWelcomeStore.getState();
  const openSettings = useSettingsStore((s) => s.open);

  if (!app) {
    return (
      <main className="welcome">
        {loadError ? (
          <>
            <p role="alert">{loadError}</p>
            <button type="button" onClick={() => void refresh()}>
              Retry
            </button>
          </>
        ) : (
          <p role="status">Loading…</p>
        )}
      </main>
    );
  }

  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">SimCVD Workstation</h1>
      <p className="welcome-lead">
        Segment 3-D images with a model that learns from the few studies you annotate: annotate,
        train, review its proposals, export.
      </p>
      <div className="welcome-actions">
        <div className={app.firstRun ? 'welcome-demo first-run' : 'welcome-demo'}>
          <button
            type="button"
            className="primary"
            onClick={() => void openDemo()}
            disabled={busy !== null}
            aria-describedby="demo-hint"
          >
            {busy === 'demo' ? 'Preparing the demo…' : 'Open demo project'}
          </button>
          <p id="demo-hint" className="hint">
            {app.firstRun && <strong>New here? Start with the demo. </strong>}
            Synthetic heart MR studies, two of them labeled, written to {app.defaultDemoPath}.
          </p>
          {busy === 'demo' && progress && (
            <div className="welcome-progress">
              <progress aria-label="Demo progress" max={progress.total} value={progress.done} />
              <span role="status">
                {progress.item.startsWith('generating')
                  ? `Generating studies: ${progress.done} of ${progress.total}`
                  : `Importing studies: ${progress.done} of ${progress.total}`}
              </span>
            </div>
          )}
        </div>
        <button type="button" onClick={() => void openProject()} disabled={busy !== null}>
          Open project…
        </button>
        <button type="button" onClick={() => void createProject()} disabled={busy !== null}>
          New project…
        </button>
        <button type="button" onClick={openSettings}>
          Settings…
        </button>
      </div>
      {pathForm && <PathForm kind={pathForm} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <section className="welcome-recent" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent projects</h2>
        {app.recent.length === 0 ? (
          <p className="hint">None yet.</p>
        ) : (
          <ul>
            {app.recent.map((project) => (
              <li key={project.path}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => void openProject(project.path)}
                  disabled={busy !== null}
                  aria-label={`Open ${project.name}`}
                >
                  {project.name}
                </button>
                <span className="path">{project.path}</span>
                <button
                  type="button"
                  className="icon-button"
                  onClick={() => void forgetRecent(project.path)}
                  disabled={busy !== null}
                  aria-label={`Remove ${project.name} from recent projects`}
                  title="Remove from the list (the folder stays)"
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

/** Where the desktop dialog is missing (browser): the folder typed as a path on the server. */
function PathForm({ kind }: { kind: 'open' | 'create' }) {
  const [folder, setFolder] = useState('');
  const [name, setName] = useState('');
  const busy = useWelcomeStore((s) => s.busy);
  const { openProject, createProject, showPathForm } = useWelcomeStore.getState();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const path = folder.trim();
    if (!path) return;
    if (kind === 'open') void openProject(path);
    else void createProject(path, name.trim() || undefined);
  };
  return (
    <form
      className="panel path-form"
      onSubmit={submit}
      aria-label={kind === 'open' ? 'Open a project folder' : 'Create a project'}
    >
      <label>
        {kind === 'open' ? 'Project folder' : 'New project folder'} (a path on the machine running
        SimCVD)
        <input
          type="text"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          placeholder="/data/projects/heart"
          autoFocus
          spellCheck={false}
        />
      </label>
      {kind === 'create' && (
        <label>
          Name (optional)
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy !== null || !folder.trim()}>
          {kind === 'open' ? 'Open' : 'Create'}
        </button>
        <button type="button" onClick={() => showPathForm(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// Export panel (renderer): writes the current label of every labeled study as NIfTI into a
// folder on the machine running the back end (the project's own export/ folder by default).
import { useState } from 'react';
import { api } from '../../api/client';
import { useStudiesStore } from '../studies/store';
import { editor } from '../editor/editor';

export function ExportPanel() {
  const root = useStudiesStore((s) => s.project?.root);
  const [outDir, setOutDir] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!root) return null;
  const folder = outDir ?? `${root}/export`;

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      // Export what is on screen, not an older version.
      editor.flushToQueue();
      await editor.queue.whenSettled();
      const { files } = await api.call('labels.export', { outDir: folder });
      setResult(`Wrote ${files.length} label file${files.length === 1 ? '' : 's'} to ${folder}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <label>
        Export folder
        <input type="text" value={folder} onChange={(e) => setOutDir(e.target.value)} />
      </label>
      <button type="button" onClick={() => void run()} disabled={busy || !folder.trim()}>
        {busy ? 'Exporting…' : 'Export labels as NIfTI'}
      </button>
      {result && <p role="status">{result}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

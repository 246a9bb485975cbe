// Import panel (renderer): adds NIfTI files, DICOM folders or a Decathlon folder (paths on the
// machine running the back end) with live progress from the event channel.
import { useEffect, useState } from 'react';
import { api, subscribeToEvents } from '../../api/client';
import { useStudiesStore } from '../studies/store';

export function ImportPanel() {
  const refresh = useStudiesStore((s) => s.refresh);
  const [paths, setPaths] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number; item: string } | null>(
    null,
  );
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      subscribeToEvents((message) => {
        if (message.event === 'importProgressed')
          setProgress(message.payload as { done: number; total: number; item: string });
      }),
    [],
  );

  const run = async () => {
    const list = paths
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
    if (list.length === 0) return;
    setBusy(true);
    setError(null);
    setResult(null);
    setProgress(null);
    try {
      const { imported } = await api.call('studies.import', { paths: list });
      const warnings = imported.flatMap((s) => s.warnings.map((w) => `${s.id}: ${w}`));
      setResult(
        `Imported ${imported.length} ${imported.length === 1 ? 'study' : 'studies'}` +
          (warnings.length ? ` (warnings: ${warnings.join('; ')})` : ''),
      );
      setPaths('');
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import studies</h2>
      <label>
        Files or folders, one per line
        <textarea rows={2} value={paths} onChange={(e) => setPaths(e.target.value)} />
      </label>
      <button type="button" onClick={() => void run()} disabled={busy || !paths.trim()}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {busy && progress && (
        <progress aria-label="Import progress" max={progress.total} value={progress.done}>
          {progress.done} of {progress.total}
        </progress>
      )}
      {result && <p role="status">{result}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

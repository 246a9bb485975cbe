// Import panel (renderer): adds NIfTI files, DICOM folders or a Decathlon folder (paths on the
// machine running the back end) with live progress from the event channel; lists the loader's
// warnings and the series it skipped (with why), and offers the geometry repair and the
// 4-D volume choice the errors point to.
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
  const [repairGeometry, setRepairGeometry] = useState(false);
  const [volumeIndex, setVolumeIndex] = useState('');
  const [result, setResult] = useState<{
    summary: string;
    notes: string[];
  } | null>(null);
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
      const volume = volumeIndex.trim() === '' ? undefined : Number(volumeIndex);
      const { imported, skipped, warnings } = await api.call('studies.import', {
        paths: list,
        repairGeometry,
        ...(volume !== undefined && Number.isInteger(volume) ? { volumeIndex: volume } : {}),
      });
      setResult({
        summary: `Imported ${imported.length} ${imported.length === 1 ? 'study' : 'studies'}`,
        notes: [
          ...warnings.map((w) => `Warning: ${w}`),
          ...imported.flatMap((s) => s.warnings.map((w) => `Warning: ${s.id}: ${w}`)),
          ...skipped.map((s) => `Skipped ${s.source}: ${s.reason}`),
        ],
      });
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
      <div className="row">
        <label>
          <input
            type="checkbox"
            checked={repairGeometry}
            onChange={(e) => setRepairGeometry(e.target.checked)}
          />
          Repair broken header geometry
        </label>
        <label>
          4-D volume
          <input
            type="number"
            min={0}
            step={1}
            placeholder="0"
            className="narrow"
            value={volumeIndex}
            onChange={(e) => setVolumeIndex(e.target.value)}
          />
        </label>
      </div>
      <button type="button" onClick={() => void run()} disabled={busy || !paths.trim()}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {busy && progress && (
        <progress aria-label="Import progress" max={progress.total} value={progress.done}>
          {progress.done} of {progress.total}
        </progress>
      )}
      {result && (
        <div role="status">
          <p>{result.summary}</p>
          {result.notes.length > 0 && (
            <ul className="import-notes">
              {result.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

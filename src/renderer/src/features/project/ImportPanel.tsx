// Import panel (renderer): two tabs. "Local files" adds NIfTI files, DICOM folders or a
// Decathlon folder (paths on the machine running the back end) with live progress from the
// event channel; lists the loader's warnings and the series it skipped (with why), and offers
// the geometry repair and the 4-D volume choice the errors point to. "PACS" searches and
// retrieves from the hospital's DICOMweb sources (features/pacs); both tabs stay mounted so a
// running import or retrieve keeps reporting while the other is shown.
import { useEffect, useState } from 'react';
import { api, subscribeToEvents } from '../../api/client';
import { PacsPanel } from '../pacs/PacsPanel';
import { useStudiesStore } from '../studies/store';

type ImportTab = 'local' | 'pacs';
const TABS: [ImportTab, string][] = [
  ['local', 'Local files'],
  ['pacs', 'PACS'],
];

export function ImportPanel() {
  const [tab, setTab] = useState<ImportTab>('local');
  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import studies</h2>
      <div className="import-tabs" role="tablist" aria-label="Import from">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`import-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`import-panel-${id}`}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      {TABS.map(([id]) => (
        <div
          key={id}
          role="tabpanel"
          id={`import-panel-${id}`}
          aria-labelledby={`import-tab-${id}`}
          className="panel import-tabpanel"
          hidden={tab !== id}
        >
          {id === 'local' ? <LocalImport /> : <PacsPanel />}
        </div>
      ))}
    </section>
  );
}

function LocalImport() {
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
    <>
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
    </>
  );
}

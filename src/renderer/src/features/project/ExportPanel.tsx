// Export panel (renderer): choose studies (all with a finished label, or a checklist), what to
// include (human labels, accepted proposals, partial labels with an ignore label and their
// annotated-slice masks) and a folder outside the project, then export NIfTI with a progress
// bar and a summary of what was written and skipped — or, as DICOM SEG, to a folder or back to
// each study's PACS (SegExport.tsx). State and I/O live in ./exportStore.
import { useEffect } from 'react';
import { useStudiesStore } from '../studies/store';
import { effectiveOutDir, useExportStore } from './exportStore';
import { exportableStudies, exportProblem, fileName, summaryHeadline } from './exportRequest';
import type { ExportResult } from './exportRequest';
import { SegExport } from './SegExport';
import { SkippedStudies } from './SkippedStudies';

export function ExportPanel() {
  const project = useStudiesStore((s) => s.project);
  // Served to a browser there is no native folder dialog: only the typed path.
  const desktop = useStudiesStore((s) => s.app?.shell === 'electron');
  const state = useExportStore();
  const connect = useExportStore((s) => s.connect);
  useEffect(() => connect(), [connect]);
  if (!project) return null;

  const seg = state.format === 'seg';
  // SEGs carry whole finished labels: no partial labels there.
  const partialOn = !seg && state.partial.enabled;
  const exportable = exportableStudies(project.studies, partialOn);
  const folder = effectiveOutDir(state.outDir, project.root);
  const problem = exportProblem(
    { ...state, partial: { ...state.partial, enabled: partialOn }, outDir: folder },
    exportable,
    project.labels,
  );
  const chosen = new Set(state.selected);
  const explicit = state.scope === 'selected';

  return (
    <section className="panel export-panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <fieldset className="export-group">
        <legend>Format</legend>
        <label>
          <input
            type="radio"
            name="export-format"
            checked={!seg}
            onChange={() => state.setFormat('nifti')}
          />
          NIfTI (.nii.gz)
        </label>
        <label>
          <input
            type="radio"
            name="export-format"
            checked={seg}
            onChange={() => state.setFormat('seg')}
          />
          DICOM SEG
        </label>
      </fieldset>
      <fieldset className="export-group">
        <legend>Studies</legend>
        <label>
          <input
            type="radio"
            name="export-scope"
            checked={state.scope === 'all'}
            onChange={() => state.setScope('all')}
          />
          All with a {partialOn ? 'finished or partial' : 'finished'} label ({exportable.length})
        </label>
        <label>
          <input
            type="radio"
            name="export-scope"
            checked={state.scope === 'selected'}
            onChange={() => state.setScope('selected')}
          />
          Selected studies
        </label>
        {state.scope === 'selected' && (
          <>
            <div className="row">
              <button type="button" onClick={state.selectAll}>
                Select all
              </button>
              <button type="button" onClick={state.selectNone}>
                Select none
              </button>
            </div>
            <ul className="export-studies" aria-label="Studies to export">
              {exportable.map((s) => (
                <li key={s.id}>
                  <label>
                    <input
                      type="checkbox"
                      checked={chosen.has(s.id)}
                      onChange={(e) => state.toggleStudy(s.id, e.target.checked)}
                    />
                    {s.id}
                  </label>
                </li>
              ))}
            </ul>
          </>
        )}
      </fieldset>
      <fieldset className="export-group">
        <legend>Include</legend>
        <label>
          <input
            type="checkbox"
            checked={state.include.human}
            onChange={(e) => state.setInclude({ human: e.target.checked })}
          />
          Human labels
        </label>
        <label>
          <input
            type="checkbox"
            checked={state.include.accepted}
            onChange={(e) => state.setInclude({ accepted: e.target.checked })}
          />
          Accepted proposals
        </label>
        {!seg && (
          <label>
            <input
              type="checkbox"
              checked={state.partial.enabled}
              onChange={(e) => state.setPartial({ enabled: e.target.checked })}
            />
            Partial labels (annotated slices only)
          </label>
        )}
        {partialOn && (
          <div className="export-partial">
            <label>
              Ignore label for unannotated voxels
              <input
                type="number"
                min={1}
                max={255}
                value={state.partial.ignoreLabel}
                onChange={(e) => state.setPartial({ ignoreLabel: Number(e.target.value) })}
              />
            </label>
            <p className="hint">
              nnU-Net v2’s convention: voxels on no annotated slice get this value (not a label
              class).
            </p>
            <label>
              <input
                type="checkbox"
                checked={state.partial.annotatedMasks}
                onChange={(e) => state.setPartial({ annotatedMasks: e.target.checked })}
              />
              Also the annotated-slice masks (annotated/&lt;study&gt;.nii.gz)
            </label>
          </div>
        )}
      </fieldset>
      {seg ? (
        <SegExport
          studyIds={
            explicit
              ? exportable.filter((s) => chosen.has(s.id)).map((s) => s.id)
              : exportable.map((s) => s.id)
          }
          explicit={explicit}
          include={state.include}
        />
      ) : (
        <>
          <label>
            Export folder
            <input type="text" value={folder} onChange={(e) => state.setOutDir(e.target.value)} />
          </label>
          {desktop && state.canPickFolder ? (
            <button type="button" onClick={() => void state.pickFolder()} disabled={state.busy}>
              Choose…
            </button>
          ) : (
            <p className="hint">Type the folder path (folder dialogs need the desktop app).</p>
          )}
          <button
            type="button"
            className="primary"
            onClick={() => void state.run()}
            disabled={state.busy || problem !== null}
          >
            {state.busy ? 'Exporting…' : 'Export'}
          </button>
          {problem && !state.busy && <p className="hint">{problem}</p>}
          {state.busy && state.progress && (
            <progress
              aria-label="Export progress"
              max={Math.max(state.progress.total, 1)}
              value={state.progress.done}
            >
              {state.progress.done} of {state.progress.total}
            </progress>
          )}
          {state.result && <ExportSummary result={state.result} />}
          {state.error && (
            <p role="alert" className="error">
              {state.error}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function ExportSummary({ result }: { result: ExportResult }) {
  return (
    <div className="export-summary">
      <p role="status">{summaryHeadline(result)}</p>
      {result.files.length > 0 && (
        <details>
          <summary>Files written ({result.files.length})</summary>
          <ul aria-label="Exported files">
            {result.files.map((f) => (
              <li key={f.path}>
                {fileName(f.path)} — {f.labelVersion}, {f.origin}
                {f.partial ? `, partial${f.annotatedPath ? ' (+ annotated mask)' : ''}` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      <SkippedStudies skipped={result.skipped} />
    </div>
  );
}

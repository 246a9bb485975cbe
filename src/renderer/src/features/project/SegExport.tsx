// DICOM SEG export (renderer): where the SEGs go — a folder, or STOW-RS back to the PACS each
// study was retrieved from — which of the chosen studies can go there and why the others
// cannot (`pacs.segTargets`), then the export as the project's PACS job with progress, Cancel
// and what was exported or skipped. The studies and what to include come from ExportPanel.
import { useEffect } from 'react';
import type { PacsExportResult } from '../../../../shared/contract/pacs';
import { JobProgressView } from '../pacs/JobProgressView';
import { usePacsJobStore } from '../pacs/jobStore';
import { jobEnded } from '../pacs/jobText';
import { useStudiesStore } from '../studies/store';
import { effectiveOutDir, useExportStore } from './exportStore';
import {
  segExportedLine,
  segExportProblem,
  segStudyRows,
  segSummaryHeadline,
  type SegChoices,
} from './segExportRequest';
import { useSegExportStore } from './segExportStore';
import '../pacs/pacs.css';
import { SkippedStudies } from './SkippedStudies';

type Props = Pick<SegChoices, 'studyIds' | 'explicit' | 'include'>;

export function SegExport({ studyIds, explicit, include }: Props) {
  const project = useStudiesStore((s) => s.project);
  const outDirChoice = useExportStore((s) => s.outDir);
  const setOutDir = useExportStore((s) => s.setOutDir);
  const seg = useSegExportStore();
  const job = usePacsJobStore((s) => s.job);
  const loadTargets = seg.loadTargets;
  useEffect(() => usePacsJobStore.getState().connect(), []);
  // A retrieve or import changes which studies exist and where they came from.
  useEffect(() => {
    void loadTargets();
  }, [loadTargets, project?.studies]);

  const outDir = effectiveOutDir(outDirChoice, project?.root);
  const choices: SegChoices = { destination: seg.destination, outDir, studyIds, explicit, include };
  const rows = segStudyRows(studyIds, seg.targets, seg.destination);
  const problem = seg.targetsLoaded ? segExportProblem(choices, rows) : 'Checking the studies…';
  const exportJob = job?.kind === 'exportSeg' ? job : null;
  const running = !jobEnded(job);
  const stow = seg.destination === 'stow';

  return (
    <div className="seg-export">
      <fieldset className="export-group">
        <legend>Send to</legend>
        <label>
          <input
            type="radio"
            name="seg-destination"
            checked={!stow}
            onChange={() => seg.setDestination('folder')}
          />
          A folder (&lt;study&gt;.seg.dcm)
        </label>
        <label>
          <input
            type="radio"
            name="seg-destination"
            checked={stow}
            onChange={() => seg.setDestination('stow')}
          />
          Each study’s PACS (STOW-RS)
        </label>
      </fieldset>
      {!stow && (
        <label>
          Export folder
          <input type="text" value={outDir} onChange={(e) => setOutDir(e.target.value)} />
        </label>
      )}
      {rows.length > 0 && seg.targetsLoaded && (
        <ul className="seg-targets" aria-label="DICOM SEG per study">
          {rows.map((r) => (
            <li key={r.studyId} className={r.ok ? '' : 'seg-no'}>
              {r.studyId}: {r.ok ? r.text : `cannot — ${r.text}`}
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="primary"
        disabled={running || problem !== null}
        onClick={() => void seg.run({ outDir, studyIds, explicit, include })}
      >
        {stow ? 'Send DICOM SEG to PACS' : 'Export DICOM SEG'}
      </button>
      {problem && !running && <p className="hint">{problem}</p>}
      {exportJob && <JobProgressView job={exportJob} what="SEG export" />}
      {exportJob?.export && <SegSummary result={exportJob.export} />}
      {seg.error && (
        <p role="alert" className="error">
          {seg.error}
        </p>
      )}
    </div>
  );
}

function SegSummary({ result }: { result: PacsExportResult }) {
  return (
    <div className="export-summary">
      <p role="status" aria-label="SEG export result">
        {segSummaryHeadline(result)}
      </p>
      {result.exported.length > 0 && (
        <ul aria-label="Exported SEGs">
          {result.exported.map((e) => (
            <li key={e.sopInstanceUid}>{segExportedLine(e)}</li>
          ))}
        </ul>
      )}
      <SkippedStudies skipped={result.skipped} />
    </div>
  );
}

// The chosen PACS study's series (renderer): modality, description, instance count and which
// are already in the project ("imported as …"); tick the series to retrieve and start the
// retrieve job (progress and result in PacsJobView).
import { formatPersonName } from './dicomText';
import { jobEnded } from './jobText';
import { usePacsJobStore } from './jobStore';
import { retrievable, retrieveParams } from './retrieveRequest';
import { usePacsSearchStore } from './searchStore';

export function SeriesTable() {
  const state = usePacsSearchStore();
  const job = usePacsJobStore((s) => s.job);
  const retrieve = usePacsJobStore((s) => s.retrieve);
  const study = state.studies.find((s) => s.studyInstanceUid === state.studyUid);
  if (!study || !state.server) return null;

  const chosen = new Set(state.chosen);
  const params = retrieveParams(state.server, state.series, chosen);
  const running = !jobEnded(job);
  const open = retrievable(state.series);

  return (
    <section className="pacs-series" aria-labelledby="pacs-series-title">
      <h3 id="pacs-series-title">
        Series of {formatPersonName(study.patientName) || study.patientId || 'the study'}
      </h3>
      {state.seriesLoading && state.series.length === 0 && <p className="hint">Loading series…</p>}
      {state.seriesError && (
        <p role="alert" className="error">
          {state.seriesError}
        </p>
      )}
      {state.series.length > 0 && (
        <div className="pacs-table-scroll">
          <table aria-label="Series">
            <thead>
              <tr>
                <th aria-label="Retrieve" />
                <th>Mod.</th>
                <th>Description</th>
                <th className="num">Images</th>
              </tr>
            </thead>
            <tbody>
              {state.series.map((s) => {
                const name =
                  `${s.modality} ${s.seriesDescription || `series ${s.seriesNumber ?? ''}`}`.trim();
                return (
                  <tr key={s.seriesInstanceUid}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Retrieve ${name}`}
                        disabled={!!s.importedAs}
                        checked={chosen.has(s.seriesInstanceUid)}
                        onChange={(e) => state.toggleSeries(s.seriesInstanceUid, e.target.checked)}
                      />
                    </td>
                    <td>{s.modality}</td>
                    <td>
                      {s.seriesDescription ||
                        (s.seriesNumber !== undefined ? `#${s.seriesNumber}` : '')}
                      {s.importedAs && (
                        <div className="study-meta">already imported as {s.importedAs}</div>
                      )}
                    </td>
                    <td className="num">{s.instanceCount ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {state.series.length > 0 && (
        <div className="row">
          {open.length > 1 && (
            <button type="button" onClick={state.chooseAllSeries}>
              Select all series
            </button>
          )}
          <button
            type="button"
            className="primary"
            disabled={!params || running}
            onClick={() => params && void retrieve(params)}
          >
            Retrieve{chosen.size > 0 ? ` (${chosen.size})` : ''}
          </button>
          {open.length === 0 && <span className="hint">Every series is in the project.</span>}
          {running && job && <span className="hint">A PACS job is running.</span>}
        </div>
      )}
    </section>
  );
}

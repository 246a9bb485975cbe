// PACS study search (renderer): the source, the filters (patient name and ID, modality, study
// date range, description) and the studies found; choosing a row lists that study's series.
import type { PacsStudy } from '../../../../shared/contract/pacs';
import { formatDicomDate, formatPersonName } from './dicomText';
import { usePacsSearchStore } from './searchStore';
import { useSourcesStore } from './sourcesStore';
import type { SearchForm } from './searchFilters';

const TEXT_FIELDS: [keyof SearchForm, string, string][] = [
  ['patientName', 'Patient name', 'e.g. Smith'],
  ['patientId', 'Patient ID', ''],
  ['modality', 'Modality', 'MR, CT…'],
  ['description', 'Study description', ''],
];

export function StudySearch() {
  const { sources, selectedId, select } = useSourcesStore();
  const state = usePacsSearchStore();
  const source = sources.find((s) => s.id === selectedId);

  return (
    <section className="pacs-search" aria-labelledby="pacs-search-title">
      <h3 id="pacs-search-title">Search studies</h3>
      <form
        aria-label="Study search"
        onSubmit={(e) => {
          e.preventDefault();
          if (source) void state.search(source.id);
        }}
      >
        <label>
          Source
          <select
            aria-label="Source"
            value={selectedId ?? ''}
            disabled={sources.length === 0}
            onChange={(e) => select(e.target.value)}
          >
            {sources.length === 0 && <option value="">(add a source first)</option>}
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name || s.id}
              </option>
            ))}
          </select>
        </label>
        <div className="pacs-filters">
          {TEXT_FIELDS.map(([key, label, placeholder]) => (
            <label key={key}>
              {label}
              <input
                type="text"
                value={state.form[key]}
                placeholder={placeholder}
                onChange={(e) => state.setForm({ [key]: e.target.value })}
              />
            </label>
          ))}
          <label>
            Study date from
            <input
              type="date"
              value={state.form.dateFrom}
              onChange={(e) => state.setForm({ dateFrom: e.target.value })}
            />
          </label>
          <label>
            Study date to
            <input
              type="date"
              value={state.form.dateTo}
              onChange={(e) => state.setForm({ dateTo: e.target.value })}
            />
          </label>
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={!source || state.searching}>
            {state.searching ? 'Searching…' : 'Search'}
          </button>
          <button type="button" onClick={state.clearForm}>
            Clear filters
          </button>
        </div>
      </form>
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
      {state.server && <StudyTable />}
    </section>
  );
}

function studyName(study: PacsStudy): string {
  return `${formatPersonName(study.patientName) || '(no name)'} ${formatDicomDate(study.studyDate)}`.trim();
}

function StudyTable() {
  const { studies, truncated, studyUid, openStudy } = usePacsSearchStore();
  if (studies.length === 0) return <p role="status">No study matches these filters.</p>;
  return (
    <>
      <p role="status" className="hint">
        {studies.length} {studies.length === 1 ? 'study' : 'studies'}
        {truncated ? ' (more matched: narrow the filters)' : ''}
      </p>
      <div className="pacs-table-scroll">
        <table aria-label="PACS studies">
          <thead>
            <tr>
              <th>Patient</th>
              <th>Date</th>
              <th>Mod.</th>
              <th className="num">Series</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((s) => (
              <tr
                key={s.studyInstanceUid}
                className={s.studyInstanceUid === studyUid ? 'current' : ''}
              >
                <td>
                  <button
                    type="button"
                    className="study-open"
                    aria-label={`Open study ${studyName(s)}`}
                    aria-pressed={s.studyInstanceUid === studyUid}
                    onClick={() => void openStudy(s.studyInstanceUid)}
                  >
                    {formatPersonName(s.patientName) || '(no name)'}
                  </button>
                  <div className="study-meta">
                    {s.patientId}
                    {s.studyDescription ? ` · ${s.studyDescription}` : ''}
                  </div>
                </td>
                <td>{formatDicomDate(s.studyDate)}</td>
                <td>{s.modalities.join(', ')}</td>
                <td className="num">{s.seriesCount ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

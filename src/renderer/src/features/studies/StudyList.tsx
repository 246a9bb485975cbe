// Study list (renderer): the project's studies with their labeling status (proposals to review,
// accepted and rejected ones included), a proposal's size and warnings, a partial label's
// annotated slices, a count per status that doubles as a filter, filterable by status and name,
// sortable by column; choosing a row opens the study in the viewer.
import { useEffect, useMemo } from 'react';
import { STUDY_STATUSES } from '../../../../shared/contract/project';
import { reviewCounts } from './statusCounts';
import { useStudiesStore } from './store';
import { StudyProblems } from './StudyProblems';
import { describeAnnotated, describeSize, FLAG_SHORT } from './proposalText';
import { selectStudies, shownVoxels, STATUS_LABEL, type StudySortKey } from './studyFilters';

const COLUMNS: { key: StudySortKey; label: string }[] = [
  { key: 'id', label: 'Study' },
  { key: 'status', label: 'Status' },
  { key: 'labeledVoxels', label: 'Voxels' },
];

export function StudyList() {
  const project = useStudiesStore((s) => s.project);
  const error = useStudiesStore((s) => s.error);
  const refresh = useStudiesStore((s) => s.refresh);
  const query = useStudiesStore((s) => s.query);
  const setQuery = useStudiesStore((s) => s.setQuery);
  const currentStudyId = useStudiesStore((s) => s.currentStudyId);
  const select = useStudiesStore((s) => s.select);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const rows = useMemo(
    () => (project ? selectStudies(project.studies, query) : []),
    [project, query],
  );
  const counts = useMemo(() => reviewCounts(project?.studies ?? []), [project]);

  if (error) return <p role="alert">{error}</p>;
  if (!project) return <p role="status">Loading project…</p>;

  const sortBy = (key: StudySortKey) =>
    setQuery({
      sortKey: key,
      direction:
        query.sortKey === key && query.direction === 'ascending' ? 'descending' : 'ascending',
    });

  return (
    <section className="study-list" aria-labelledby="studies-title">
      <h2 id="studies-title">
        Studies{' '}
        <span className="count">
          ({rows.length} of {project.studies.length})
        </span>
      </h2>
      <div className="row status-counts" role="group" aria-label="Studies per status">
        {STUDY_STATUSES.filter((st) => counts[st] > 0).map((st) => (
          <button
            key={st}
            type="button"
            className={`status-chip status-${st}`}
            aria-pressed={query.status === st}
            title={`Show only "${STATUS_LABEL[st]}" studies`}
            onClick={() => setQuery({ status: query.status === st ? 'all' : st })}
          >
            {STATUS_LABEL[st]} {counts[st]}
          </button>
        ))}
      </div>
      <div className="row">
        <label>
          Find
          <input
            type="search"
            value={query.text}
            placeholder="Study name"
            onChange={(e) => setQuery({ text: e.target.value })}
          />
        </label>
        <label>
          Status
          <select
            value={query.status}
            onChange={(e) => setQuery({ status: e.target.value as typeof query.status })}
          >
            <option value="all">All</option>
            {STUDY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <table>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={query.sortKey === c.key ? query.direction : 'none'}
              >
                <button type="button" className="sort" onClick={() => sortBy(c.key)}>
                  {c.label}
                  {query.sortKey === c.key ? (query.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr
              key={s.id}
              aria-selected={s.id === currentStudyId}
              className={s.id === currentStudyId ? 'current' : undefined}
            >
              <td>
                <button
                  type="button"
                  className="study-open"
                  aria-label={`Open ${s.id}`}
                  onClick={() => select(s.id)}
                >
                  {s.id}
                </button>
                <div className="study-meta">
                  {s.dims.join('×')} · {s.spacingMm.map((x) => Number(x.toFixed(2))).join('×')} mm
                  {s.labelVersionCount > 0 &&
                    ` · ${s.labelVersionCount} version${s.labelVersionCount === 1 ? '' : 's'}`}
                </div>
                {s.coverage === 'partial' && (
                  <div className="study-meta study-annotated">{describeAnnotated(s)}</div>
                )}
                {s.proposal && (
                  <div className="study-meta study-proposal">
                    {s.proposal.modelId}: {describeSize(s.proposal, s.dims)}
                    {s.proposal.flags.map((f) => (
                      <span key={`${f.kind}-${f.value ?? ''}`} className="flag" title={f.message}>
                        {' '}
                        ⚠ {FLAG_SHORT[f.kind]}
                      </span>
                    ))}
                  </div>
                )}
              </td>
              <td>
                <span className={`status-badge status-${s.status}`}>{STATUS_LABEL[s.status]}</span>
              </td>
              <td
                className="num"
                aria-label={
                  s.proposal
                    ? `${shownVoxels(s)} proposed voxels`
                    : `${s.labeledVoxels} labeled voxels`
                }
              >
                {shownVoxels(s).toLocaleString()}
                {s.proposal && <span className="hint"> proposed</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="hint">No study matches.</p>}
      <StudyProblems />
    </section>
  );
}

// Study list (renderer): the project's studies with their labeling status.
import { useEffect } from 'react';
import { useStudiesStore } from './store';

export function StudyList() {
  const project = useStudiesStore((s) => s.project);
  const error = useStudiesStore((s) => s.error);
  const refresh = useStudiesStore((s) => s.refresh);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (error) return <p role="alert">{error}</p>;
  if (!project) return <p>Loading project…</p>;
  return (
    <section aria-label="Studies">
      <h2>
        {project.name} — {project.studies.length} studies
      </h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Study</th>
            <th scope="col">Status</th>
            <th scope="col">Size</th>
            <th scope="col">Spacing (mm)</th>
          </tr>
        </thead>
        <tbody>
          {project.studies.map((s) => (
            <tr key={s.id}>
              <td>{s.id}</td>
              <td>{s.status}</td>
              <td>{s.dims.join('×')}</td>
              <td>{s.spacingMm.map((x) => x.toFixed(2)).join('×')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// What to check after "Annotation finished" (renderer): the back end's warnings about a label
// saved as finished — unpainted slices inside the structure become "no structure here", a
// structure still large on its last painted slice — with a way back to "in progress".
import { labelEditing } from './instance';
import { useEditStore } from './store';

export function FinishWarnings() {
  const warnings = useEditStore((s) => s.finishWarnings);
  const final = useEditStore((s) => s.final);
  if (!final || warnings.length === 0) return null;
  return (
    <div className="finish-warnings" role="alert" aria-label="Check the finished annotation">
      <strong>
        Marked finished — every unpainted voxel now counts as background. Please check:
      </strong>
      <ul>
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      <button type="button" onClick={() => labelEditing.setFinal(false)}>
        Keep it in progress
      </button>
      <button type="button" onClick={() => useEditStore.setState({ finishWarnings: [] })}>
        It is finished
      </button>
    </div>
  );
}

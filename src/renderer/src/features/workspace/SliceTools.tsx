// Slice annotation tools under the views (renderer): for the active view, how many of its slices
// are annotated, "Slice done" (D: this slice is annotated — painted, or checked and holding no
// structure) pressed while it is, and "Next unannotated slice" (U). Painting on a slice
// annotates it by itself; a finished annotation has every slice annotated.
import { useCommand } from '../../commands/useCommand';
import type { ViewInfo } from '../../viewer/viewInfo';
import { isAnnotated, slicesOn } from '../editor/annotatedSlices';
import { useEditStore } from '../editor/store';

export function SliceTools({ title, info }: { title: string; info: ViewInfo | null }) {
  const annotated = useEditStore((s) => s.annotated);
  const final = useEditStore((s) => s.final);
  const reviewing = useEditStore((s) => s.review !== null);
  const done = useCommand('edit.toggleSliceDone');
  const next = useCommand('view.nextUnannotatedSlice');
  if (!info || reviewing) return null;
  const count = slicesOn(annotated, info.sliceAxis).length;
  const pressed = final || isAnnotated(annotated, info.sliceAxis, info.sliceIndex);
  return (
    <div className="slice-tools" role="group" aria-label="Slice annotation">
      <span className="hint" aria-label={`${title} slices annotated`}>
        {final
          ? `${title}: finished, all ${info.sliceCount} slices annotated`
          : `${title}: ${count} / ${info.sliceCount} slices annotated`}
      </span>
      <button
        type="button"
        aria-pressed={pressed}
        disabled={!done.enabled}
        title={done.command?.description ? `${done.command.description} (D)` : done.title}
        onClick={() => done.run()}
      >
        {done.label}
      </button>
      <button type="button" disabled={!next.enabled} title={next.title} onClick={() => next.run()}>
        {next.label}
      </button>
    </div>
  );
}

// Cursor readout (renderer): voxel indices, intensity, label and RAS position under the pointer.
import { useCursorStore, useEditStore } from './store';

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** The line under the views: the value under the cursor and the last command's feedback. */
export function CursorReadout() {
  const readout = useCursorStore((s) => s.readout);
  const message = useEditStore((s) => s.message);
  return (
    <div className="readout" aria-label="Value under the cursor">
      {readout ? (
        <>
          <span>Voxel ({readout.voxel.join(', ')})</span>
          <span>Value {fmt(readout.value)}</span>
          <span>Label {readout.label}</span>
          <span>RAS ({readout.worldRas.map((x) => x.toFixed(1)).join(', ')}) mm</span>
        </>
      ) : (
        <span className="hint">Point at a view to read voxel values.</span>
      )}
      <span className="tool-message" role="status">
        {message}
      </span>
    </div>
  );
}

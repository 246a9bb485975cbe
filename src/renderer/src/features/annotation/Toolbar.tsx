// Annotation toolbar (renderer): tool buttons (pressed state announced), brush size and shape,
// the threshold brush's intensity range, interpolation and undo/redo.
import { useAnnotationStore, BRUSH_RADIUS_MM } from './store';
import { useEditStore } from '../editor/store';
import { labelEditing } from '../editor/instance';
import type { ToolId } from '../../viewer/toolIds';

const TOOLS: { id: ToolId; label: string; key: string }[] = [
  { id: 'navigate', label: 'Crosshair', key: 'C' },
  { id: 'windowLevel', label: 'Window/level', key: 'W' },
  { id: 'pan', label: 'Pan', key: 'P' },
  { id: 'zoom', label: 'Zoom', key: 'Z' },
  { id: 'brush', label: 'Brush', key: 'B' },
  { id: 'eraser', label: 'Eraser', key: 'E' },
  { id: 'thresholdBrush', label: 'Threshold brush', key: 'T' },
  { id: 'rectangleScissors', label: 'Rectangle scissors', key: 'R' },
  { id: 'circleScissors', label: 'Circle scissors', key: 'O' },
  { id: 'sphereScissors', label: 'Sphere scissors', key: 'S' },
  { id: 'fill', label: 'Fill', key: 'F' },
];

export function Toolbar() {
  const tool = useAnnotationStore((s) => s.tool);
  const radius = useAnnotationStore((s) => s.brushRadiusMm);
  const shape = useAnnotationStore((s) => s.brushShape);
  const threshold = useAnnotationStore((s) => s.thresholdRange);
  const undoCount = useEditStore((s) => s.undoCount);
  const redoCount = useEditStore((s) => s.redoCount);
  const a = useAnnotationStore.getState;
  const brushLike = tool === 'brush' || tool === 'eraser' || tool === 'thresholdBrush';

  return (
    <div className="toolbar" role="toolbar" aria-label="Annotation tools">
      <div className="tool-buttons">
        {TOOLS.map((t) => (
          <button
            key={t.id}
            type="button"
            aria-pressed={tool === t.id}
            title={`${t.label} (${t.key})`}
            onClick={() => a().setTool(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tool-settings">
        <label>
          Brush radius (mm)
          <input
            type="range"
            min={BRUSH_RADIUS_MM.min}
            max={BRUSH_RADIUS_MM.max}
            step={BRUSH_RADIUS_MM.step}
            value={radius}
            onChange={(e) => a().setBrushRadius(Number(e.target.value))}
          />
          <output>{radius.toFixed(1)}</output>
        </label>
        <fieldset className="inline" disabled={!brushLike}>
          <legend>Brush shape</legend>
          {(['circle', 'sphere'] as const).map((s) => (
            <label key={s}>
              <input
                type="radio"
                name="brush-shape"
                checked={shape === s}
                onChange={() => a().setBrushShape(s)}
              />
              {s === 'circle' ? 'Circle' : 'Sphere'}
            </label>
          ))}
        </fieldset>
        {/* Always laid out (disabled unless in use) so switching tools never moves the views. */}
        <fieldset className="inline" disabled={tool !== 'thresholdBrush'}>
          <legend>Threshold range</legend>
          <label>
            Lowest value
            <input
              type="number"
              value={threshold[0]}
              onChange={(e) => a().setThresholdRange([Number(e.target.value), threshold[1]])}
            />
          </label>
          <label>
            Highest value
            <input
              type="number"
              value={threshold[1]}
              onChange={(e) => a().setThresholdRange([threshold[0], Number(e.target.value)])}
            />
          </label>
          <button
            type="button"
            onClick={() => {
              const w = a().window;
              if (w) a().setThresholdRange([Math.round(w.lower), Math.round(w.upper)]);
            }}
          >
            Use window as threshold
          </button>
        </fieldset>
      </div>
      <div className="edit-buttons">
        <button
          type="button"
          onClick={() => labelEditing.undo()}
          disabled={undoCount === 0}
          title="Undo (Ctrl+Z)"
        >
          Undo
        </button>
        <button
          type="button"
          onClick={() => labelEditing.redo()}
          disabled={redoCount === 0}
          title="Redo (Ctrl+Y)"
        >
          Redo
        </button>
        <button
          type="button"
          onClick={() => labelEditing.interpolate(a().activeLabel, a().activeViewport)}
          title="Interpolate between slices (I)"
        >
          Interpolate slices
        </button>
      </div>
    </div>
  );
}

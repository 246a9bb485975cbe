// Annotation toolbar (renderer): tool buttons (pressed state announced), brush size and shape,
// the threshold brush's intensity range, interpolation and undo/redo. Buttons run registered
// commands by id (commands/registry.ts), the same ones the keyboard and the help overlay use.
import { useCommand } from '../../commands/useCommand';
import type { CommandId } from '../../commands/ids';
import type { ToolId } from '../../viewer/toolIds';
import { TOOLBAR_ORDER, toolCommandId } from './commands';
import { useAnnotationStore, BRUSH_RADIUS_MM } from './store';

/** A tool button: runs the tool's command; pressed while the tool is selected. */
function ToolButton({ tool }: { tool: ToolId }) {
  const selected = useAnnotationStore((s) => s.tool === tool);
  const command = useCommand(toolCommandId(tool));
  return (
    <button
      type="button"
      aria-pressed={selected}
      title={command.title}
      onClick={() => command.run()}
    >
      {command.label}
    </button>
  );
}

/** A button that runs a command and is disabled while the command is. */
function CommandButton({ id }: { id: CommandId }) {
  const command = useCommand(id);
  return (
    <button
      type="button"
      onClick={() => command.run()}
      disabled={!command.enabled}
      title={command.title}
    >
      {command.label}
    </button>
  );
}

export function Toolbar() {
  const tool = useAnnotationStore((s) => s.tool);
  const radius = useAnnotationStore((s) => s.brushRadiusMm);
  const shape = useAnnotationStore((s) => s.brushShape);
  const threshold = useAnnotationStore((s) => s.thresholdRange);
  const a = useAnnotationStore.getState;
  const brushLike = tool === 'brush' || tool === 'eraser' || tool === 'thresholdBrush';

  return (
    <div className="toolbar" role="toolbar" aria-label="Annotation tools">
      <div className="tool-buttons">
        {TOOLBAR_ORDER.map((id) => (
          <ToolButton key={id} tool={id} />
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
        <CommandButton id="edit.undo" />
        <CommandButton id="edit.redo" />
        <CommandButton id="edit.interpolate" />
      </div>
    </div>
  );
}

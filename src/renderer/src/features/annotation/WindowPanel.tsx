// Window/level panel (renderer): presets (CT in HU, data-driven for MR) and exact values, run as
// the registered view commands.
import { useAnnotationStore } from './store';
import { WINDOW_PRESETS, toWidthLevel } from './presets';
import { commands } from '../../commands/registry';

export function WindowPanel() {
  const window = useAnnotationStore((s) => s.window);
  const wl = window ? toWidthLevel(window.lower, window.upper) : null;
  return (
    <section className="panel" aria-labelledby="window-title">
      <h2 id="window-title">Window</h2>
      <label>
        Preset
        <select
          value=""
          onChange={(e) => e.target.value && commands.run(`view.preset.${e.target.value}`)}
        >
          <option value="">Choose a preset…</option>
          {WINDOW_PRESETS.map((p, n) => (
            <option key={p.id} value={p.id}>
              {n + 1}. {p.name}
            </option>
          ))}
        </select>
      </label>
      {wl && (
        <div className="row">
          <label>
            Width
            <input
              type="number"
              value={Number(wl.width.toPrecision(6))}
              onChange={(e) => {
                const width = Number(e.target.value);
                commands.run('view.setWindow', {
                  lower: wl.level - width / 2,
                  upper: wl.level + width / 2,
                });
              }}
            />
          </label>
          <label>
            Level
            <input
              type="number"
              value={Number(wl.level.toPrecision(6))}
              onChange={(e) => {
                const level = Number(e.target.value);
                commands.run('view.setWindow', {
                  lower: level - wl.width / 2,
                  upper: level + wl.width / 2,
                });
              }}
            />
          </label>
        </div>
      )}
    </section>
  );
}

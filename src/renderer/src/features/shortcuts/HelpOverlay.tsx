// Help overlay (renderer): every keyboard shortcut and mouse binding, grouped, from the same
// table the key handler uses — so it can never list a shortcut that does not exist.
import { useMemo } from 'react';
import { buildShortcuts, type HelpToggle } from './shortcuts';

const MOUSE = [
  ['Left drag', 'Use the selected tool'],
  ['Middle drag', 'Pan'],
  ['Right drag', 'Zoom'],
  ['Mouse wheel', 'Scroll slices'],
];

export function HelpOverlay({ help }: { help: HelpToggle }) {
  const groups = useMemo(() => {
    const byGroup = new Map<string, { keys: string; description: string }[]>();
    for (const s of buildShortcuts(help)) {
      byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s]);
    }
    return [...byGroup];
  }, [help]);
  return (
    <div className="overlay-backdrop" onClick={help.close}>
      <div
        className="help-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <h2 id="help-title">Keyboard shortcuts and mouse</h2>
          <button type="button" onClick={help.close} autoFocus>
            Close help
          </button>
        </header>
        <div className="help-columns">
          {groups.map(([group, items]) => (
            <section key={group} aria-label={group}>
              <h3>{group}</h3>
              <dl>
                {items.map((s) => (
                  <div key={s.keys} className="help-row">
                    <dt>
                      <kbd>{s.keys}</kbd>
                    </dt>
                    <dd>{s.description}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <section aria-label="Mouse">
            <h3>Mouse</h3>
            <dl>
              {MOUSE.map(([keys, description]) => (
                <div key={keys} className="help-row">
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{description}</dd>
                </div>
              ))}
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}

// Help overlay (renderer): every keyboard shortcut and mouse binding, grouped — the shortcuts
// from the command registry the key handler uses, so it can never list one that does not exist.
import { useMemo, useSyncExternalStore } from 'react';
import { COMMAND_GROUPS, commands, type CommandGroup } from '../../commands/registry';
import { useHelpStore } from './helpStore';

interface HelpRow {
  keys: string;
  description: string;
}

/** Pointer gestures of a group that no key runs. */
const GESTURES: Partial<Record<CommandGroup, HelpRow[]>> = {
  Brush: [{ keys: 'Shift+drag', description: 'Erase with the brush or threshold brush active' }],
};

const MOUSE = [
  ['Left drag', 'Use the selected tool'],
  ['Middle drag', 'Pan'],
  ['Right drag', 'Zoom'],
  ['Mouse wheel', 'Scroll slices'],
];

export function HelpOverlay() {
  const close = useHelpStore((s) => s.close);
  const registered = useSyncExternalStore(commands.subscribe, commands.snapshot);
  const groups = useMemo(() => {
    const byGroup = new Map<CommandGroup, HelpRow[]>();
    for (const c of commands.list()) {
      if (!c.shortcut) continue;
      const row = { keys: c.shortcut.keys, description: c.description ?? c.label };
      byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), row]);
    }
    return COMMAND_GROUPS.filter((g) => byGroup.has(g)).map(
      (g) => [g, [...byGroup.get(g)!, ...(GESTURES[g] ?? [])]] as const,
    );
  }, [registered]);
  return (
    <div className="overlay-backdrop" onClick={close}>
      <div
        className="help-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <h2 id="help-title">Keyboard shortcuts and mouse</h2>
          <button type="button" onClick={close} autoFocus>
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

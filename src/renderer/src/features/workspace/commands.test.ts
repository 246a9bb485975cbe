// The app's command list: every command registers once, every tool and window preset has its
// command and key, no key press could mean two commands, and each desktop shell command runs a
// registered command (with the project path where it has one).
import { describe, expect, it, vi } from 'vitest';
import { SHELL_COMMANDS } from '../../../../shared/contract/events';
import type { KeyBinding } from '../../commands/keys';
import { CommandRegistry } from '../../commands/registry';
import { TOOL_IDS } from '../../viewer/toolIds';
import { WINDOW_PRESETS } from '../annotation/presets';
import { useAnnotationStore } from '../annotation/store';
import { runShellCommand, SHELL_COMMAND_IDS } from '../welcome/shellCommands';
import { useWelcomeStore } from '../welcome/store';
import { registerAppCommands } from './commands';

function appRegistry(): CommandRegistry {
  const registry = new CommandRegistry();
  registerAppCommands(registry);
  return registry;
}

/** Could one key press satisfy both bindings? */
function overlap(a: KeyBinding, b: KeyBinding): boolean {
  const compatible = (x?: boolean, y?: boolean) => x === undefined || y === undefined || x === y;
  return (
    a.key.toLowerCase() === b.key.toLowerCase() &&
    compatible(a.ctrl, b.ctrl) &&
    compatible(a.shift, b.shift) &&
    compatible(a.alt, b.alt)
  );
}

const press = (key: string, ctrlKey = false) => ({
  key,
  ctrlKey,
  metaKey: false,
  shiftKey: false,
  altKey: false,
});

describe("the app's commands", () => {
  it('has a command with a key for every tool and window preset', () => {
    const registry = appRegistry();
    for (const tool of TOOL_IDS) {
      expect(registry.get(`tool.${tool}`)?.shortcut?.keys).toMatch(/^[A-Z]$/);
    }
    WINDOW_PRESETS.forEach((preset, n) => {
      expect(registry.forKey(press(String(n + 1)))?.id).toBe(`view.preset.${preset.id}`);
    });
    expect(registry.forKey(press('z', true))?.id).toBe('edit.undo');
    expect(registry.forKey(press('b'))?.id).toBe('tool.brush');
  });

  it('never binds one key press to two commands', () => {
    const bindings = appRegistry()
      .list()
      .flatMap((c) => (c.shortcut?.bindings ?? []).map((b) => ({ id: c.id, b })));
    const clashes = bindings.flatMap((x, n) =>
      bindings
        .slice(n + 1)
        .filter((y) => x.id !== y.id && overlap(x.b, y.b))
        .map((y) => [x.id, y.id]),
    );
    expect(clashes).toEqual([]);
  });

  it('runs a tool command into the annotation store', () => {
    const registry = appRegistry();
    registry.run('tool.eraser');
    expect(useAnnotationStore.getState().tool).toBe('eraser');
  });

  it('runs a registered command for each desktop shell command', () => {
    const registry = appRegistry();
    for (const name of SHELL_COMMANDS) expect(registry.get(SHELL_COMMAND_IDS[name])).toBeDefined();
    const openProject = vi.fn(async () => undefined);
    useWelcomeStore.setState({ openProject });
    expect(runShellCommand({ command: 'openProject', path: '/data/p' }, registry)).toBe(true);
    expect(openProject).toHaveBeenCalledWith('/data/p');
  });
});

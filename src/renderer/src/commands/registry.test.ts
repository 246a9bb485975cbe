// The command registry: commands run by id with their argument, once registered and while
// enabled; shortcuts find their command with the exact modifiers; ids register once.
import { describe, expect, it, vi } from 'vitest';
import { ctrlKey, plainKey, type KeyPress } from './keys';
import { CommandRegistry, storeCondition } from './registry';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

function flagStore(value: boolean) {
  const listeners = new Set<() => void>();
  return {
    state: { on: value },
    getState() {
      return this.state;
    },
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(on: boolean) {
      this.state = { on };
      for (const l of listeners) l();
    },
  };
}

describe('the command registry', () => {
  it('runs a command by id with its argument', () => {
    const registry = new CommandRegistry();
    const setWindow = vi.fn();
    registry.register({ id: 'view.setWindow', label: 'Set window', group: 'View', run: setWindow });
    expect(registry.run('view.setWindow', { lower: 1, upper: 2 })).toBe(true);
    expect(setWindow).toHaveBeenCalledWith({ lower: 1, upper: 2 });
    expect(registry.run('edit.undo')).toBe(false); // not registered
  });

  it('does not run a disabled command, and follows its condition', () => {
    const registry = new CommandRegistry();
    const undo = vi.fn();
    const store = flagStore(false);
    registry.register({
      id: 'edit.undo',
      label: 'Undo',
      group: 'Edit',
      enabled: storeCondition(store, (s) => s.on),
      run: undo,
    });
    expect(registry.isEnabled('edit.undo')).toBe(false);
    expect(registry.run('edit.undo')).toBe(false);
    const changed = vi.fn();
    registry.get('edit.undo')!.enabled!.subscribe(changed);
    store.set(true);
    expect(changed).toHaveBeenCalled();
    expect(registry.run('edit.undo')).toBe(true);
    expect(undo).toHaveBeenCalledTimes(1);
  });

  it('finds the command of a key press with exactly the modifiers its shortcut asks for', () => {
    const registry = new CommandRegistry();
    const run = () => undefined;
    registry.register(
      {
        id: 'tool.zoom',
        label: 'Zoom',
        group: 'Tools',
        shortcut: { keys: 'Z', bindings: [plainKey('z')] },
        run,
      },
      {
        id: 'edit.undo',
        label: 'Undo',
        group: 'Edit',
        shortcut: { keys: 'Ctrl+Z', bindings: [ctrlKey('z', false)] },
        run,
      },
      {
        id: 'edit.redo',
        label: 'Redo',
        group: 'Edit',
        shortcut: { keys: 'Ctrl+Y', bindings: [ctrlKey('y'), ctrlKey('z', true)] },
        run,
      },
      {
        id: 'brush.larger',
        label: 'Larger brush',
        group: 'Brush',
        shortcut: { keys: ']', bindings: [{ key: ']', ctrl: false }] },
        run,
      },
    );
    expect(registry.forKey(press('z'))?.id).toBe('tool.zoom');
    expect(registry.forKey(press('Z', { shiftKey: true }))).toBeUndefined();
    expect(registry.forKey(press('z', { ctrlKey: true }))?.id).toBe('edit.undo');
    expect(registry.forKey(press('z', { metaKey: true }))?.id).toBe('edit.undo'); // Cmd on macOS
    expect(registry.forKey(press('Z', { ctrlKey: true, shiftKey: true }))?.id).toBe('edit.redo');
    expect(registry.forKey(press('y', { ctrlKey: true, shiftKey: true }))?.id).toBe('edit.redo');
    expect(registry.forKey(press('z', { ctrlKey: true, altKey: true }))).toBeUndefined();
    expect(registry.forKey(press(']', { altKey: true }))?.id).toBe('brush.larger'); // either
    expect(registry.forKey(press(']', { ctrlKey: true }))).toBeUndefined();
  });

  it('registers an id once, lists commands in registration order and unregisters them', () => {
    const registry = new CommandRegistry();
    const run = () => undefined;
    const changed = vi.fn();
    registry.subscribe(changed);
    const unregister = registry.register(
      { id: 'edit.undo', label: 'Undo', group: 'Edit', run },
      { id: 'tool.brush', label: 'Brush', group: 'Tools', run },
    );
    expect(() =>
      registry.register({ id: 'edit.undo', label: 'Again', group: 'Edit', run }),
    ).toThrow(/edit.undo is registered twice/);
    expect(registry.list().map((c) => c.id)).toEqual(['edit.undo', 'tool.brush']);
    expect(changed).toHaveBeenCalledTimes(1);
    unregister();
    expect(registry.list()).toEqual([]);
    expect(registry.snapshot()).toBe(2);
  });
});

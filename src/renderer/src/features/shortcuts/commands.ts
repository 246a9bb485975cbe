// Help commands (renderer): show, toggle (? or F1) and close (Esc) the help overlay.
import type { AnyCommand } from '../../commands/registry';
import { useHelpStore } from './helpStore';

export function helpCommands(): AnyCommand[] {
  const help = () => useHelpStore.getState();
  return [
    {
      id: 'help.toggle',
      label: 'Help',
      description: 'Show or hide this help',
      group: 'Help',
      shortcut: { keys: '?', bindings: [{ key: '?' }, { key: 'F1' }] },
      run: () => help().toggle(),
    },
    {
      id: 'help.close',
      label: 'Close help',
      description: 'Close this help',
      group: 'Help',
      shortcut: { keys: 'Esc', bindings: [{ key: 'Escape' }] },
      run: () => help().close(),
    },
    { id: 'help.show', label: 'Keyboard shortcuts', group: 'Help', run: () => help().show() },
  ];
}

// Project commands (renderer): new, open, demo and close project, and the settings dialog —
// registered by id so the desktop menu's shell commands (shellCommands.ts) run the same actions
// as the buttons, pending edits saved first.
import type { AnyCommand } from '../../commands/registry';
import { useSettingsStore } from '../settings/store';
import { useWelcomeStore } from './store';

export function projectCommands(): AnyCommand[] {
  const welcome = () => useWelcomeStore.getState();
  return [
    {
      id: 'project.new',
      label: 'New project…',
      group: 'Project',
      run: () => welcome().createProject(),
    },
    {
      id: 'project.open',
      label: 'Open project…',
      group: 'Project',
      run: (args) => welcome().openProject(args?.path),
    },
    {
      id: 'project.openDemo',
      label: 'Open demo project',
      group: 'Project',
      run: () => welcome().openDemo(),
    },
    {
      id: 'project.close',
      label: 'Close project',
      group: 'Project',
      run: () => welcome().closeProject(),
    },
    {
      id: 'settings.open',
      label: 'Settings…',
      group: 'Project',
      run: () => useSettingsStore.getState().open(),
    },
  ];
}

// Desktop shell commands (renderer): what the native menu or a second app instance asks for,
// run through the same actions as the buttons — so pending edits are saved before a switch.
import type { ApiEvents } from '../../../../shared/contract/events';
import { subscribeToEvents } from '../../api/client';
import { useSettingsStore } from '../settings/store';
import { useWelcomeStore } from './store';

export function connectShellCommands(showHelp: () => void): () => void {
  return subscribeToEvents(({ event, payload }) => {
    if (event !== 'shellCommandIssued') return;
    const { command, path } = payload as ApiEvents['shellCommandIssued'];
    const welcome = useWelcomeStore.getState();
    switch (command) {
      case 'newProject':
        return void welcome.createProject();
      case 'openProject':
        return void welcome.openProject(path);
      case 'openDemo':
        return void welcome.openDemo();
      case 'closeProject':
        return void welcome.closeProject();
      case 'openSettings':
        return useSettingsStore.getState().open();
      case 'showHelp':
        return showHelp();
    }
  });
}

// Desktop shell commands (renderer): what the native menu or a second app instance asks for
// (src/main sends a `shellCommandIssued` event) runs as the registered command of the same
// action — so pending edits are saved before a project switch, as with the buttons.
import type { ApiEvents, ShellCommandName } from '../../../../shared/contract/events';
import type { CommandId } from '../../commands/ids';
import { commands, type CommandRegistry } from '../../commands/registry';
import { subscribeToEvents } from '../../api/client';

/** The command each shell command runs. */
export const SHELL_COMMAND_IDS = {
  newProject: 'project.new',
  openProject: 'project.open',
  openDemo: 'project.openDemo',
  closeProject: 'project.close',
  openSettings: 'settings.open',
  showHelp: 'help.show',
} as const satisfies Record<ShellCommandName, CommandId>;

export function runShellCommand(
  { command, path }: ApiEvents['shellCommandIssued'],
  registry: CommandRegistry = commands,
): boolean {
  if (command === 'openProject') return registry.run('project.open', { path });
  return registry.run(SHELL_COMMAND_IDS[command]);
}

export function connectShellCommands(registry: CommandRegistry = commands): () => void {
  return subscribeToEvents(({ event, payload }) => {
    if (event === 'shellCommandIssued')
      runShellCommand(payload as ApiEvents['shellCommandIssued'], registry);
  });
}

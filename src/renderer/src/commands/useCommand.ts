// React access to a registered command (renderer): its label, shortcut and enabled state, kept
// current, and a run function — what a toolbar button or menu entry needs.
import { useSyncExternalStore } from 'react';
import type { ArgsOf, CommandId } from './ids';
import { commands, type Command, type CommandRegistry } from './registry';

const noChanges = () => () => undefined;

export interface CommandHandle<I extends CommandId> {
  command: Command<I> | undefined;
  label: string;
  /** "Undo (Ctrl+Z)": the label with the shortcut, for a tooltip. */
  title: string;
  enabled: boolean;
  run(...args: ArgsOf<I>): boolean;
}

export function useCommand<I extends CommandId>(
  id: I,
  registry: CommandRegistry = commands,
): CommandHandle<I> {
  useSyncExternalStore(registry.subscribe, registry.snapshot);
  const command = registry.get(id);
  const enabled = useSyncExternalStore(command?.enabled?.subscribe ?? noChanges, () =>
    registry.isEnabled(id),
  );
  const label = command?.label ?? '';
  return {
    command,
    label,
    title: command?.shortcut ? `${label} (${command.shortcut.keys})` : label,
    enabled,
    run: (...args) => registry.run(id, ...args),
  };
}

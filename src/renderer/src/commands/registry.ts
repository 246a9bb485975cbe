// The command registry (renderer, no UI): every view and edit action is registered once by id
// (ids.ts) with a label, a help group, an optional keyboard shortcut and an optional "enabled"
// condition; toolbar buttons, the key handler, the help overlay, the panels and the desktop
// menu's shell commands all run commands by id (the pattern OHIF uses). Imports nothing of the
// app, so every renderer folder may use it.
import type { ArgsOf, CommandArgs, CommandId } from './ids';
import { matchesKey, type KeyBinding, type KeyPress } from './keys';

/** Help overlay sections, in the order it shows them. */
export const COMMAND_GROUPS = [
  'Tools',
  'Brush',
  'Edit',
  'View',
  'Review',
  'Project',
  'Help',
] as const;
export type CommandGroup = (typeof COMMAND_GROUPS)[number];

export interface Shortcut {
  /** As shown to the user, e.g. "Ctrl+Z". */
  keys: string;
  /** The key presses that run the command. */
  bindings: KeyBinding[];
}

/** A yes/no state a button follows (e.g. "there is something to undo"). */
export interface Condition {
  get(): boolean;
  /** Must be a stable function (a zustand store's subscribe is). */
  subscribe(onChange: () => void): () => void;
}

export interface Command<I extends CommandId = CommandId> {
  id: I;
  /** Short name for buttons and menus ("Undo"). */
  label: string;
  /** What the help overlay says; the label when absent. */
  description?: string;
  group: CommandGroup;
  shortcut?: Shortcut;
  /** Absent: always enabled. A disabled command does not run. */
  enabled?: Condition;
  run(args: CommandArgs[I]): unknown;
}

/** Any one command, its `run` typed by its own id. */
export type AnyCommand = { [I in CommandId]: Command<I> }[CommandId];

/** A condition read from a zustand store (or anything with getState and subscribe). */
export function storeCondition<S>(
  store: { getState(): S; subscribe(listener: () => void): () => void },
  select: (state: S) => boolean,
): Condition {
  return { get: () => select(store.getState()), subscribe: store.subscribe };
}

export class CommandRegistry {
  private readonly commands = new Map<CommandId, AnyCommand>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  /** Registers commands; an id may be registered once. Returns the unregister. */
  register(...list: AnyCommand[]): () => void {
    for (const command of list) {
      if (this.commands.has(command.id))
        throw new Error(`Command ${command.id} is registered twice.`);
    }
    for (const command of list) this.commands.set(command.id, command);
    this.changed();
    return () => {
      for (const command of list) {
        if (this.commands.get(command.id) === command) this.commands.delete(command.id);
      }
      this.changed();
    };
  }

  get<I extends CommandId>(id: I): Command<I> | undefined {
    return this.commands.get(id) as Command<I> | undefined;
  }

  /** Every command, in registration order. */
  list(): AnyCommand[] {
    return [...this.commands.values()];
  }

  isEnabled(id: CommandId): boolean {
    const command = this.commands.get(id);
    return command !== undefined && (command.enabled?.get() ?? true);
  }

  /** Runs a command; false when it is not registered or not enabled now. */
  run<I extends CommandId>(id: I, ...args: ArgsOf<I>): boolean {
    const command = this.get(id);
    if (!command || !this.isEnabled(id)) return false;
    command.run(args[0] as CommandArgs[I]);
    return true;
  }

  /** The first command (in registration order) whose shortcut matches a key press. */
  forKey(press: KeyPress): AnyCommand | undefined {
    return this.list().find((c) => c.shortcut?.bindings.some((b) => matchesKey(b, press)));
  }

  /** Listens for registrations; for useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever the registrations change; for useSyncExternalStore. */
  readonly snapshot = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

/** The app's registry, created once like the stores (commands are registered in main.tsx). */
export const commands = new CommandRegistry();

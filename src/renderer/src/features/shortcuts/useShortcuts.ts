// Global keyboard handling (renderer): a key press runs the registered command whose shortcut
// matches it (commands/registry.ts) — the same commands the toolbar and the help overlay show.
import { useEffect } from 'react';
import { commands, type CommandRegistry } from '../../commands/registry';

export function useShortcuts(registry: CommandRegistry = commands): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' && isTypingTarget(event.target)) return;
      const command = registry.forKey(event);
      if (!command) return;
      event.preventDefault();
      registry.run(command.id);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [registry]);
}

/** Typing in a field must not trigger shortcuts (except Escape). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'range', 'color'].includes(target.type);
  return false;
}

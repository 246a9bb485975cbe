// Global keyboard handling (renderer): runs the shortcut table's commands from window keydown.
import { useEffect } from 'react';
import { scrollActive } from '../editor/viewActions';
import { buildShortcuts, isTypingTarget, sliceDelta, type HelpToggle } from './shortcuts';

export function useShortcuts(help: HelpToggle): void {
  useEffect(() => {
    const shortcuts = buildShortcuts(help);
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' && isTypingTarget(event.target)) return;
      const delta = sliceDelta(event);
      if (delta !== 0 && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        scrollActive(delta);
        return;
      }
      const shortcut = shortcuts.find((s) => s.matches(event));
      if (!shortcut) return;
      event.preventDefault();
      shortcut.run();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [help]);
}

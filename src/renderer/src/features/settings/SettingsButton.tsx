// Header button that opens the settings dialog (renderer).
import { useSettingsStore } from './store';

export function SettingsButton() {
  const open = useSettingsStore((s) => s.open);
  return (
    <button type="button" className="settings-button" onClick={open} aria-haspopup="dialog">
      Settings
    </button>
  );
}

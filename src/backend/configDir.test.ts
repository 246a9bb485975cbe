// Per-user config folder (plain Node): where settings.json and recent.json go on each platform
// when no shell (Electron's userData) says otherwise.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigDir } from './configDir';

describe('defaultConfigDir', () => {
  const home = os.homedir();

  it('follows XDG_CONFIG_HOME on Linux and falls back to ~/.config', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe(
      path.join('/cfg', 'simcvd-workstation'),
    );
    expect(defaultConfigDir({}, 'linux')).toBe(path.join(home, '.config', 'simcvd-workstation'));
  });

  it('uses Application Support on macOS and %APPDATA% on Windows, as Electron does', () => {
    expect(defaultConfigDir({}, 'darwin')).toBe(
      path.join(home, 'Library', 'Application Support', 'SimCVD Workstation'),
    );
    expect(defaultConfigDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32')).toBe(
      path.join('C:/Users/u/AppData/Roaming', 'SimCVD Workstation'),
    );
    expect(defaultConfigDir({}, 'win32')).toBe(
      path.join(home, 'AppData', 'Roaming', 'SimCVD Workstation'),
    );
  });
});

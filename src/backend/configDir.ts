// Where per-user settings live when no shell says otherwise (plain Node): the XDG config folder
// on Linux, Application Support on macOS, %APPDATA% on Windows — as Electron's userData would be.
import os from 'node:os';
import path from 'node:path';

export function defaultConfigDir(env = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'SimCVD Workstation');
  if (platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'SimCVD Workstation');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'simcvd-workstation');
}

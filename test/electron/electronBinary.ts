// Where the Electron binary is (tests, Node), found without `require('electron')` — which would
// try to download it. Null with the reason when it is absent (as on machines without network).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function findElectron(): { path: string } | { missing: string } {
  const explicit = process.env.SIMCVD_ELECTRON;
  if (explicit)
    return existsSync(explicit)
      ? { path: explicit }
      : { missing: `SIMCVD_ELECTRON=${explicit} does not exist` };
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile))
    return {
      missing:
        'the Electron binary was never downloaded (node_modules/electron/path.txt is missing; ' +
        'installs here use ELECTRON_SKIP_BINARY_DOWNLOAD=1)',
    };
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
  const binary = path.join(distDir, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `${binary} does not exist` };
}

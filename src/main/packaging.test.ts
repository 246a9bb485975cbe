// Packaging (Node): the Electron fuses electron-builder flips in the shipped binary — run-as-Node,
// NODE_OPTIONS and --inspect stay off, so nobody who can start the app can make it run their own
// code, and the engine (a utilityProcess) never needs them — and the native WebGPU addon, which
// must sit outside app.asar and be allowed its install script (macOS quarantine).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The `electronFuses:` block of electron-builder.yml as key → boolean. */
function fuses(): Record<string, boolean> {
  const lines = readFileSync('electron-builder.yml', 'utf8').split('\n');
  const start = lines.indexOf('electronFuses:');
  expect(start).toBeGreaterThanOrEqual(0);
  const out: Record<string, boolean> = {};
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}(\w+): (true|false)\s*$/.exec(line);
    if (!match) break;
    out[match[1]!] = match[2] === 'true';
  }
  return out;
}

describe('electron fuses', () => {
  it('turns off run-as-Node, NODE_OPTIONS and inspect, and turns on asar integrity and cookie encryption', () => {
    expect(fuses()).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('starts the engine as a utilityProcess, which run-as-Node off does not affect', () => {
    const main = readFileSync('src/main/index.ts', 'utf8');
    expect(main).toMatch(/setDefaultEngineLauncher\(createUtilityLauncher\(utilityProcess\)\)/);
    expect(main).not.toMatch(/ELECTRON_RUN_AS_NODE|child_process/);
  });
});

describe('the WebGPU addon in the installers', () => {
  it('is unpacked from the asar, trimmed per platform, and its install script approved', () => {
    const yml = readFileSync('electron-builder.yml', 'utf8');
    expect(yml).toMatch(/asarUnpack:[\s\S]*- node_modules\/webgpu\/dist\/\*\*/);
    for (const [platform, kept] of [
      ['linux', 'linux-x64'],
      ['win', 'win32-x64'],
      ['mac', 'darwin-universal'],
    ]) {
      const section = new RegExp(`\\n${platform}:\\n(?:  .*\\n)*?  files: \\[(.*)\\]`).exec(yml);
      expect(section, platform).not.toBeNull();
      expect(section![1]).toMatch(/node_modules\/webgpu\/dist/);
      expect(section![1]).not.toContain(kept);
    }
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.optionalDependencies.webgpu).toBeDefined();
    expect(pkg.allowScripts.webgpu).toBe(true);
  });
});

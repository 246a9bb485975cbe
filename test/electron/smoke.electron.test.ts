// Electron smoke test (Node + the Electron binary, through playwright-core's _electron): the
// built app starts on a small demo project, opens its sandboxed window from the app protocol
// with the CSP header, and the typed API answers through the preload. Where the Electron binary
// is absent (it cannot be downloaded here) the suite reports itself skipped, with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src/shared/csp';
import { createDemoProject, type DemoProject } from '../e2e/support/project';
import { findElectron } from './electronBinary';

const electron = findElectron();
const missing = 'missing' in electron ? electron.missing : null;
if (missing) console.warn(`Electron smoke test skipped: ${missing}.`);

describe.skipIf(missing !== null)(
  missing ? `Electron smoke test (skipped: ${missing})` : 'Electron smoke test',
  () => {
    let demo: DemoProject;
    let configDir: string;
    let app: ElectronApplication;
    let window: Page;

    beforeAll(async () => {
      demo = createDemoProject({ studies: 3, labeled: 1 });
      configDir = mkdtempSync(path.join(os.tmpdir(), 'simcvd-electron-config-'));
      const switches = [
        // Root (CI containers) cannot use Chromium's setuid sandbox; the renderer keeps
        // Electron's own sandbox option either way.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ...(process.env.DISPLAY ? [] : ['--ozone-platform=headless']),
      ];
      app = await _electron.launch({
        executablePath: (electron as { path: string }).path,
        args: [...switches, path.resolve('out', 'main', 'index.js'), demo.project],
        env: {
          ...process.env,
          SIMCVD_CONFIG_DIR: configDir,
          SIMCVD_DEMO_DIR: path.join(configDir, 'demo'),
        } as Record<string, string>,
      });
      window = await app.firstWindow();
      await window.waitForLoadState('domcontentloaded');
    });

    afterAll(async () => {
      await app?.close();
      if (demo) rmSync(demo.root, { recursive: true, force: true });
      if (configDir) rmSync(configDir, { recursive: true, force: true });
    });

    it('opens the window from the app protocol, titled, with the project given on the command line', async () => {
      expect(await window.title()).toBe('SimCVD Workstation');
      expect(window.url()).toBe('simcvd://app/index.html');
      const list = window.getByRole('region', { name: /Studies/ });
      await expect.poll(() => list.getByRole('row').count(), { timeout: 60_000 }).toBe(4);
    });

    it('runs the page without Node, exposing only the typed API', async () => {
      const exposed = await window.evaluate(() => ({
        api: Object.keys((window as unknown as { api: object }).api).sort(),
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
      }));
      expect(exposed).toEqual({
        api: ['call', 'onEvent'],
        require: 'undefined',
        process: 'undefined',
      });
    });

    it('answers the typed API through the preload and refuses bad calls', async () => {
      const info = await window.evaluate(() =>
        (window as unknown as { api: { call(m: string, p: object): Promise<unknown> } }).api.call(
          'project.info',
          {},
        ),
      );
      expect(info).toMatchObject({
        ok: true,
        result: { name: expect.any(String), root: demo.project },
      });
      expect((info as { result: { studies: unknown[] } }).result.studies).toHaveLength(3);
      const bad = await window.evaluate(() =>
        (window as unknown as { api: { call(m: string, p: object): Promise<unknown> } }).api.call(
          'project.nothing',
          {},
        ),
      );
      expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    });

    it('serves the page with the Content-Security-Policy header', async () => {
      const header = await window.evaluate(async () =>
        (
          await fetch((globalThis as unknown as { location: { href: string } }).location.href)
        ).headers.get('content-security-policy'),
      );
      expect(header).toBe(CONTENT_SECURITY_POLICY_HEADER);
    });

    it('has the native menu', async () => {
      const labels = await app.evaluate(({ Menu }) =>
        Menu.getApplicationMenu()!.items.map((i) => i.label),
      );
      expect(labels).toContain('File');
    });
  },
);

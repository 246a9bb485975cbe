// First run in a real browser (Node + Chromium against `simcvd serve` with no project): the
// welcome screen, settings saved per user, "Open demo project" generating a small demo and
// opening its study list, a study rendering under the app's Content-Security-Policy (nothing
// blocked), closing and reopening the project through the recent list and a typed path.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../../src/shared/csp';
import { openApp, type AppUnderTest } from './support/app';
import { screenshot } from './support/browser';
import type { ServedProject } from './support/server';
import { unnamedControls, waitStudyLoaded } from './support/workstation';

let root: string;
let app: AppUnderTest;
let server: ServedProject;
let page: Page;
let pageErrors: string[];

const configDir = () => path.join(root, 'config');
const demoDir = () => path.join(root, 'demo');

/** The DOM calls used inside the page (test/e2e/support/pageGlobals.d.ts declares few). */
interface PageDocument {
  addEventListener(
    type: 'securitypolicyviolation',
    listener: (event: { violatedDirective: string; blockedURI: string }) => void,
  ): void;
  createElement(tag: 'script'): { textContent: string | null };
  head: { append(node: unknown): void };
}

const isInjectionProbe = (error: string) => /Content Security Policy|inline script/i.test(error);

/** CSP violations the page reported (collected from the document's own event). */
function cspViolations(): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'simcvd-e2e-welcome-'));
  app = await openApp(null, {
    serveArgs: [
      '--config-dir',
      configDir(),
      '--demo-dir',
      demoDir(),
      '--demo-studies',
      '4',
      '--demo-dims',
      '32x32x16',
    ],
    // Record the page's own CSP reports from the first script on.
    initScript: () => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      doc.addEventListener('securitypolicyviolation', (e) => {
        const w = window as unknown as { __csp?: string[] };
        (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    },
    // Removed on close; the stop is bounded there, as a speed probe the Train panel started can
    // keep the server process alive for minutes after SIGTERM.
    tempRoot: root,
  });
  ({ server, page, errors: pageErrors } = app);
});

afterAll(() => app?.close());

describe('the welcome screen in Chromium', () => {
  it('greets a first run with the demo highlighted and no project', async () => {
    await page.getByRole('heading', { name: 'SimCVD Workstation', level: 1 }).waitFor();
    const demo = page.getByRole('button', { name: 'Open demo project' });
    expect(await demo.isEnabled()).toBe(true);
    expect(await page.locator('.welcome-demo.first-run').count()).toBe(1);
    expect(await page.getByText('New here? Start with the demo.').count()).toBe(1);
    expect(await page.getByText(demoDir(), { exact: false }).count()).toBe(1);
    for (const name of ['Open project…', 'New project…', 'Settings…'])
      expect(await page.getByRole('button', { name }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Recent projects' }).textContent()).toContain(
      'None yet.',
    );
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, 'welcome-first-run');
  });

  it('serves the policy as a header and in index.html, and the browser enforces it', async () => {
    const response = await fetch(server.url);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    const html = await response.text();
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
    );
    // An injected inline script does not run ('unsafe-inline' is not allowed for scripts).
    const ran = await page.evaluate(async () => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      const script = doc.createElement('script');
      script.textContent = 'window.__injectedRan = true';
      doc.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { __injectedRan?: boolean }).__injectedRan === true;
    });
    expect(ran).toBe(false);
    // One refusal, reported once by each policy that enforces it (the header and the meta tag).
    expect((await cspViolations()).filter((v) => v.startsWith('script-src'))).toHaveLength(2);
  });

  it('saves the settings per user', async () => {
    await page.getByRole('button', { name: 'Settings…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    await dialog.getByLabel('Engine backend').selectOption('cpu');
    await dialog.getByLabel('Memory budget of the engine (MiB)').fill('100');
    expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Memory budget of the engine (MiB)').fill('3072');
    // Compute threads: automatic by default; a count is a whole number from 1.
    expect(await dialog.getByRole('radio', { name: /^Automatic/ }).isChecked()).toBe(true);
    await dialog.getByRole('radio', { name: 'This many:' }).check();
    await dialog.getByRole('spinbutton', { name: 'Compute threads' }).fill('0');
    expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await dialog.getByRole('spinbutton', { name: 'Compute threads' }).fill('3');
    await screenshot(page, 'welcome-settings');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const saved = JSON.parse(readFileSync(path.join(configDir(), 'settings.json'), 'utf8'));
    expect(saved).toEqual({ backend: 'cpu', maxHeapMiB: 3072, threads: 3 });
    // Reopened, the dialog shows what was saved.
    await page.getByRole('button', { name: 'Settings…' }).click();
    expect(await dialog.getByLabel('Engine backend').inputValue()).toBe('cpu');
    expect(await dialog.getByRole('spinbutton', { name: 'Compute threads' }).inputValue()).toBe(
      '3',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('opens the demo project: generated, imported, listed, with the getting-started steps', async () => {
    await page.getByRole('button', { name: 'Open demo project' }).click();
    const list = page.getByRole('region', { name: /Studies/ });
    await list.waitFor({ timeout: 120_000 });
    await expect.poll(() => list.getByRole('row').count(), { timeout: 30_000 }).toBe(5);
    expect(existsSync(path.join(demoDir(), 'project', 'project.json'))).toBe(true);
    const steps = page.getByRole('list', { name: 'Getting started steps' });
    for (const step of ['Annotate a study', 'Train (quick)', 'Review a proposal', 'Export'])
      expect(await steps.getByRole('checkbox', { name: step }).isChecked()).toBe(false);
    expect(await page.getByRole('region', { name: /Getting started/ }).textContent()).toContain(
      '(0 of 4)',
    );
    await screenshot(page, 'welcome-demo-opened');
  });

  it('renders a study under the policy with nothing blocked', async () => {
    await page.getByRole('button', { name: 'Open case_003' }).click();
    await waitStudyLoaded(page, 'case_003');
    for (const view of ['Axial', 'Sagittal', 'Coronal'])
      expect(await page.getByRole('img', { name: `${view} view` }).isVisible()).toBe(true);
    // Only the deliberate injection above was refused.
    expect((await cspViolations()).filter((v) => !v.startsWith('script-src'))).toEqual([]);
    expect(pageErrors.filter((e) => !isInjectionProbe(e))).toEqual([]);
    await screenshot(page, 'welcome-demo-study');
  });

  it('dismisses the checklist, closes the project and reopens it from the recent list', async () => {
    await page.getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.getByRole('region', { name: /Getting started/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Close project' }).click();
    await page.getByRole('heading', { name: 'SimCVD Workstation', level: 1 }).waitFor();
    expect(await page.locator('.welcome-demo.first-run').count()).toBe(0);
    const recent = page.getByRole('region', { name: 'Recent projects' });
    expect(await recent.textContent()).toContain(path.join(demoDir(), 'project'));
    await screenshot(page, 'welcome-recent');
    await recent.getByRole('button', { name: /^Open Demo/ }).click();
    const list = page.getByRole('region', { name: /Studies/ });
    await expect.poll(() => list.getByRole('row').count(), { timeout: 30_000 }).toBe(5);
    // Dismissed stays dismissed for this project.
    expect(await page.getByRole('region', { name: /Getting started/ }).count()).toBe(0);
  });

  it('creates and opens projects by typed path where there is no native dialog', async () => {
    await page.getByRole('button', { name: 'Close project' }).click();
    await page.getByRole('button', { name: 'New project…' }).click();
    const create = page.getByRole('form', { name: 'Create a project' });
    await create.getByLabel(/New project folder/).fill(path.join(root, 'fresh'));
    await create.getByLabel('Name (optional)').fill('Fresh');
    await create.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Fresh', { exact: true }).waitFor();
    expect(await page.getByRole('region', { name: /Studies/ }).textContent()).toContain('(0 of 0)');
    expect(existsSync(path.join(root, 'fresh', 'project.json'))).toBe(true);

    await page.getByRole('button', { name: 'Close project' }).click();
    await page.getByRole('button', { name: 'Open project…' }).click();
    const open = page.getByRole('form', { name: 'Open a project folder' });
    await open.getByLabel(/Project folder/).fill(path.join(root, 'nowhere'));
    await open.getByRole('button', { name: 'Open' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(path.join(root, 'nowhere'));
    await open.getByLabel(/Project folder/).fill(path.join(demoDir(), 'project'));
    await open.getByRole('button', { name: 'Open' }).click();
    const list = page.getByRole('region', { name: /Studies/ });
    await expect.poll(() => list.getByRole('row').count(), { timeout: 30_000 }).toBe(5);
    // API refusals (the missing folder, panels asking while no project was open) are answered
    // with HTTP error statuses the browser logs; anything else would be a fault.
    expect(
      pageErrors.filter(
        (e) => !isInjectionProbe(e) && !/Failed to load resource|^response 4\d\d/.test(e),
      ),
    ).toEqual([]);
    expect(await cspViolations()).toHaveLength(2);
  });
});

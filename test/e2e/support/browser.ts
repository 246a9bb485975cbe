// Headless Chromium for the browser tests (Node): Debian's /usr/bin/chromium through
// playwright-core, with WebGL 2 on SwiftShader (never --disable-software-rasterizer: it
// removes WebGL). Screenshots go to test-results/e2e/ and are kept as test artefacts.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SIMCVD_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('test-results', 'e2e');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Runs in the page before any of its own scripts (e.g. to record CSP violations). */
  initScript?: () => void;
}

/** A page whose console errors and uncaught exceptions are collected for assertions. */
export async function openPage(
  browser: Browser,
  url: string,
  { viewport = { width: 1280, height: 720 }, initScript }: PageOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  if (initScript) await page.addInitScript(initScript);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  // The console's "Failed to load resource" does not say which: name it beside.
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`response ${response.status()}: ${response.url()}`);
  });
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

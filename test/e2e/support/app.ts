// The app under test (Node): `simcvd serve` on a project (or on none: the welcome screen),
// Debian's Chromium and one page of the app whose console errors and uncaught exceptions are
// collected — set up in one call, and undone by close(). Every browser test file starts here.
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, type PageOptions } from './browser';
import { createDemoProject, type DemoProject } from './project';
import { serveProject, type ServedProject } from './server';

export interface AppUnderTest {
  server: ServedProject;
  browser: Browser;
  page: Page;
  /** The page's console errors and uncaught exceptions so far. */
  errors: string[];
  /** Closes the browser, stops the server and removes the test's temporary folder. */
  close(): Promise<void>;
}

export interface AppOptions extends PageOptions {
  /** Extra `simcvd serve` arguments. */
  serveArgs?: string[];
  /** A temporary folder of the test, removed on close. */
  tempRoot?: string;
}

/** A server stuck after SIGTERM (e.g. an engine job still running) is killed after this. */
const STOP_TIMEOUT_MS = 15_000;

async function stopBounded(server: ServedProject): Promise<void> {
  const stopped = server.stop();
  const timer = setTimeout(() => server.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await stopped;
  clearTimeout(timer);
}

export async function openApp(
  projectDir: string | null,
  { serveArgs = [], tempRoot, ...page }: AppOptions = {},
): Promise<AppUnderTest> {
  let server: ServedProject | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (server) await stopBounded(server);
    if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
  };
  try {
    server = await serveProject(projectDir, serveArgs);
    browser = await launchBrowser();
    const opened = await openPage(browser, server.url, page);
    return { server, browser, ...opened, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface DemoAppUnderTest extends AppUnderTest {
  demo: DemoProject;
}

/**
 * A fresh demo project (imported through the CLI) served and open in Chromium. `prepare` runs
 * on the project before it is served (e.g. training a model with the CLI).
 */
export async function openDemoApp(
  options: { studies: number; labeled: number },
  { prepare, ...app }: AppOptions & { prepare?(demo: DemoProject): void } = {},
): Promise<DemoAppUnderTest> {
  const demo = createDemoProject(options);
  try {
    prepare?.(demo);
  } catch (error) {
    rmSync(demo.root, { recursive: true, force: true });
    throw error;
  }
  return { demo, ...(await openApp(demo.project, { ...app, tempRoot: demo.root })) };
}

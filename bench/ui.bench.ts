// UI benchmark (Node driving Chromium; `npm run bench:ui` builds the renderer first). In a
// fresh project with a 256×256×128 demo study it measures, in Debian's Chromium on SwiftShader:
//   1. study open: from the click on the study in the list to the first frame rendered in all
//      three views (median of several opens, switching away in between);
//   2. brush latency: from a brush drag event to the labelmap change, and to the next frame
//      showing it (median and 95th percentile over a stroke).
// Prints both with the setup (viewport size, WebGL renderer) so numbers are comparable.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { generateDemoCase } from '../src/core/demo';
import { createProject, importStudies, ProjectStore } from '../src/core/project';
import { writeVolumeFile } from '../src/core/volume/nifti';
import { createEventHub, startServer } from '../src/server';
import { Workspace } from '../src/backend/workspace';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/e2e/support/browser';

const BIG_DIMS: [number, number, number] = [256, 256, 128];
const OPEN_RUNS = 4;
const BRUSH_MOVES = 30;
const VIEWPORT = { width: 1280, height: 720 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

/**
 * Code run inside the page, as source text: this Node-side file is compiled without the DOM
 * library. Timestamps are the page's performance.now().
 */
const IN_PAGE = {
  renderer: `(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
    return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
  })()`,
  watchStudyOpen: `(() => {
    window.__bench = { clickAt: 0, target: '', firstFrame: {} };
    document.addEventListener('click', (event) => {
      const button = event.target.closest && event.target.closest('button');
      const label = (button && button.getAttribute('aria-label')) || '';
      if (!label.startsWith('Open ')) return;
      window.__bench = { clickAt: performance.now(), target: label.slice(5), firstFrame: {} };
    }, true);
    for (const element of document.querySelectorAll('[data-viewport]')) {
      element.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => {
        const id = element.getAttribute('data-viewport');
        const b = window.__bench;
        if (window.__simcvd.studyId() !== b.target || b.firstFrame[id]) return;
        b.firstFrame[id] = performance.now();
      });
    }
  })()`,
  openTime: `(() => {
    const frames = Object.values(window.__bench.firstFrame);
    return frames.length === 3 ? Math.max(...frames) - window.__bench.clickAt : null;
  })()`,
  watchBrush: `(() => {
    window.__brush = { inputAt: 0, frames: [] };
    const axial = document.querySelector('[data-viewport="axial"]');
    document.addEventListener('mousemove', () => (window.__brush.inputAt = performance.now()), true);
    axial.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => window.__brush.frames.push(performance.now()));
  })()`,
  brushSample: `(() => {
    const changed = window.__simcvd.labelmapChangedAt();
    const frame = window.__brush.frames.find((t) => t >= changed);
    if (changed < window.__brush.inputAt || frame === undefined) return null;
    return [changed - window.__brush.inputAt, frame - window.__brush.inputAt];
  })()`,
};

/**
 * Polls an in-page expression until it returns non-null. (waitForFunction with source text
 * would need 'unsafe-eval', which the app's CSP rightly forbids; evaluate goes through the
 * DevTools protocol.) Latencies are computed from in-page timestamps, so polling adds none.
 */
async function pollInPage<T>(page: Page, expression: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await page.evaluate<T | null>(expression);
    if (value !== null) return value;
    if (Date.now() > deadline) {
      const state = await page.evaluate(
        `JSON.stringify({ brush: window.__brush, changed: window.__simcvd?.labelmapChangedAt(), counts: window.__simcvd?.labelCounts() })`,
      );
      throw new Error(`Timed out waiting for: ${expression}\nstate: ${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function makeProject(root: string): Promise<string> {
  const project = path.join(root, 'project');
  await createProject(project);
  const big = generateDemoCase({ seed: 7, dims: BIG_DIMS });
  const small = generateDemoCase({ seed: 8, dims: [64, 64, 32] });
  await writeVolumeFile(path.join(root, 'big_256x256x128.nii.gz'), big.image);
  await writeVolumeFile(path.join(root, 'small_64x64x32.nii.gz'), small.image);
  const store = await ProjectStore.open(project, { write: true, purpose: 'bench:ui' });
  try {
    await importStudies(store, [
      path.join(root, 'big_256x256x128.nii.gz'),
      path.join(root, 'small_64x64x32.nii.gz'),
    ]);
  } finally {
    await store.close();
  }
  return project;
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'simcvd-bench-ui-'));
  process.stderr.write(`bench:ui: generating a ${BIG_DIMS.join('×')} study in ${root}\n`);
  const project = await makeProject(root);
  const hub = createEventHub();
  const workspace = new Workspace({ shell: 'server', emit: hub.emit, defaultDemoPath: root });
  await workspace.openProject(project);
  const server = await startServer({
    workspace,
    hub,
    rendererDir: path.resolve('out', 'renderer'),
    port: 0,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(server.url);
    const renderer = await page.evaluate<string>(IN_PAGE.renderer);

    // Records when each view first renders the target study after a click on its row.
    await page.evaluate(IN_PAGE.watchStudyOpen);
    const openTimes: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) {
      await page.getByRole('button', { name: 'Open small_64x64x32' }).click();
      await pollInPage(page, `window.__simcvd?.studyId() === 'small_64x64x32' || null`, 60_000);
      await page.waitForTimeout(300);
      await page.getByRole('button', { name: 'Open big_256x256x128' }).click();
      openTimes.push(await pollInPage<number>(page, IN_PAGE.openTime, 120_000));
    }

    // Brush latency on the axial view of the big study.
    await page.getByRole('button', { name: 'Brush', exact: true }).click();
    const box = (await page.getByRole('img', { name: 'Axial view' }).boundingBox())!;
    await page.evaluate(IN_PAGE.watchBrush);
    const toLabelmap: number[] = [];
    const toFrame: number[] = [];
    const y = box.y + box.height * 0.5;
    await page.mouse.move(box.x + box.width * 0.3 - 8, y);
    await page.mouse.down();
    // Cornerstone holds a press back (double-click detection) until the pointer has moved a
    // few pixels; start the drag before sampling so every sample is a plain drag event.
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.waitForTimeout(200);
    for (let n = 1; n <= BRUSH_MOVES; n++) {
      await page.mouse.move(box.x + box.width * (0.3 + (0.4 * n) / BRUSH_MOVES), y);
      const [labelmapMs, frameMs] = await pollInPage<[number, number]>(
        page,
        IN_PAGE.brushSample,
        30_000,
      );
      toLabelmap.push(labelmapMs);
      toFrame.push(frameMs);
    }
    await page.mouse.up();

    const fmt = (x: number) => `${x.toFixed(0)} ms`;
    process.stdout.write(
      [
        `bench:ui — Chromium (${renderer}), window ${VIEWPORT.width}×${VIEWPORT.height}, ` +
          `axial view ${Math.round(box.width)}×${Math.round(box.height)} px`,
        `study open ${BIG_DIMS.join('×')} int16, click → first frame in all 3 views: ` +
          `median ${fmt(median(openTimes))} (runs: ${openTimes.map(fmt).join(', ')})`,
        `brush drag event → labelmap updated: median ${fmt(median(toLabelmap))}, ` +
          `p95 ${fmt(percentile(toLabelmap, 0.95))} (${BRUSH_MOVES} moves)`,
        `brush drag event → frame showing it: median ${fmt(median(toFrame))}, ` +
          `p95 ${fmt(percentile(toFrame, 0.95))}`,
      ].join('\n') + '\n',
    );
  } finally {
    await browser.close();
    await server.close();
    await workspace.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();

// Page helpers for the browser tests (Node, driving the page): wait for a study, move to a
// slice with the keyboard as a user would, paint strokes aimed through the viewer's own
// world→canvas mapping, and wait for saves on disk.
import type { Page } from 'playwright-core';
import type { DemoProject } from './project';

type Vec3 = [number, number, number];
type ViewportId = 'axial' | 'sagittal' | 'coronal';

/** A study's row in the study list. */
export function studyRow(page: Page, studyId: string) {
  return page
    .getByRole('region', { name: /Studies/ })
    .getByRole('row', { name: new RegExp(studyId) });
}

export async function waitStudyLoaded(page: Page, studyId: string): Promise<void> {
  await page.waitForFunction(
    (id) =>
      document.querySelector('.viewer-grid')?.getAttribute('data-loaded') === 'true' &&
      window.__simcvd?.studyId() === id,
    studyId,
    { timeout: 60_000 },
  );
}

/** Reads "Slice n of 0–m (axis)" of a view: the 0-based index n. */
async function sliceIndex(page: Page, title: string): Promise<number> {
  const text = (await page.getByLabel(`${title} slice`, { exact: true }).textContent()) ?? '';
  const match = /Slice (\d+) of/.exec(text);
  if (!match) throw new Error(`No slice label in the ${title} view: "${text}"`);
  return Number(match[1]);
}

/** Hovers a view and presses ↑/↓ until it shows 0-based slice `target`. */
export async function gotoSlice(
  page: Page,
  title: string,
  target: number,
  count: number,
): Promise<void> {
  const view = page.getByRole('img', { name: `${title} view` });
  const box = (await view.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let step = 0; step < count; step++) {
    const current = await sliceIndex(page, title);
    if (current === target) return;
    await page.keyboard.press(current < target ? 'ArrowUp' : 'ArrowDown');
  }
  throw new Error(`Could not reach slice ${target} in the ${title} view.`);
}

/** Left-drags from world point a to b (RAS mm) in `steps` mouse moves. */
export async function paintStroke(
  page: Page,
  viewportId: ViewportId,
  a: Vec3,
  b: Vec3,
  steps: number,
  modifiers: ('Shift' | 'Control')[] = [],
): Promise<void> {
  const [start, end] = await page.evaluate(
    ([id, p, q]) => [window.__simcvd!.worldToPage(id, p), window.__simcvd!.worldToPage(id, q)],
    [viewportId, a, b] as const,
  );
  for (const key of modifiers) await page.keyboard.down(key);
  await page.mouse.move(start!.x, start!.y);
  await page.mouse.down();
  await page.waitForTimeout(50);
  for (let s = 1; s <= steps; s++) {
    await page.mouse.move(
      start!.x + ((end!.x - start!.x) * s) / steps,
      start!.y + ((end!.y - start!.y) * s) / steps,
    );
  }
  // Hold still for a frame before releasing, as a hand does: tools that draw a shape (the
  // scissors) take its extent from the last drag event they processed.
  await page.waitForTimeout(100);
  await page.mouse.up();
  for (const key of modifiers) await page.keyboard.up(key);
}

export async function waitSaved(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('[data-save-state]')?.textContent === 'All changes saved',
    null,
    { timeout: 30_000 },
  );
}

/** Polls the study record on disk until it lists at least `count` label versions. */
export async function waitForLabelVersions(
  demo: DemoProject,
  studyId: string,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (demo.study(studyId).labelVersions.length < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `Study ${studyId} still has ${demo.study(studyId).labelVersions.length} label versions, expected ${count}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Buttons and form fields without an accessible name (described by tag, type and class). */
export async function unnamedControls(page: Page): Promise<string[]> {
  const controls = page.locator(
    'button, input, select, textarea, [role="slider"], [role="button"]',
  );
  const missing: string[] = [];
  for (const control of await controls.all()) {
    const name = await control.evaluate((el) => {
      const labelledBy = el.getAttribute('aria-labelledby');
      const fromLabels = (el as HTMLInputElement).labels
        ? Array.from((el as HTMLInputElement).labels ?? [], (l) => l.textContent ?? '').join(' ')
        : '';
      return [
        el.getAttribute('aria-label'),
        labelledBy && document.getElementById(labelledBy)?.textContent,
        fromLabels,
        el.tagName === 'BUTTON' ? el.textContent : '',
        el.getAttribute('title'),
      ]
        .filter(Boolean)
        .join(' ')
        .trim();
    });
    if (!name) {
      const description = await control.evaluate(
        (el) => `${el.tagName.toLowerCase()}[type=${el.getAttribute('type')}].${el.className}`,
      );
      missing.push(description);
    }
  }
  return missing;
}

/** Labeled voxels of the labelmap on screen, all classes together. */
export async function labelTotal(page: Page): Promise<number> {
  const counts = await page.evaluate(() => window.__simcvd!.labelCounts());
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

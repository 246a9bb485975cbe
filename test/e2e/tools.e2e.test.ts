// End-to-end test of the annotation tools in a real browser (Node + Chromium): crosshair
// navigation, window presets, sphere brush and Shift-erase, threshold brush, scissors, fill,
// slice interpolation, the label set editor and label visibility — checked in the viewer's
// labelmap and, where it matters, on disk with nibabel.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoApp, type DemoAppUnderTest } from './support/app';
import { ARTIFACTS, screenshot } from './support/browser';
import { readLabels, readLabelsWithIntensity, voxelToWorld } from './support/nibabel';
import type { DemoProject, Vec3 } from './support/project';
import {
  gotoSlice,
  paintStroke,
  waitForLabelVersions,
  waitSaved,
  waitStudyLoaded,
} from './support/workstation';

const STUDY = 'case_002';

let app: DemoAppUnderTest;
let demo: DemoProject;
let page: Page;
let pageErrors: string[];

const sliceCounts = (axis: 0 | 1 | 2) =>
  page.evaluate((a) => window.__simcvd!.sliceCounts(a), axis);
const total = async () =>
  Object.values(await page.evaluate(() => window.__simcvd!.labelCounts())).reduce(
    (a, b) => a + b,
    0,
  );

const worldOf = (voxel: Vec3) => demo.worldOf(STUDY, voxel);

async function clickVoxel(voxel: Vec3, viewportId: 'axial' | 'sagittal' | 'coronal' = 'axial') {
  const at = await page.evaluate(([id, v]) => window.__simcvd!.voxelToPage(id, v), [
    viewportId,
    voxel,
  ] as const);
  await page.mouse.click(at!.x, at!.y);
}

async function useTool(name: string) {
  await page.getByRole('button', { name, exact: true }).click();
}

/** Waits until the labelmap stops changing (tools may finish writing after the mouse-up). */
async function settle() {
  let last = '';
  for (let polls = 0; polls < 50; polls++) {
    await page.waitForTimeout(150);
    const now = JSON.stringify(await page.evaluate(() => window.__simcvd!.sliceCounts(2)));
    if (now === last) return;
    last = now;
  }
}

/** A short drag at one voxel: how users dab with a brush. */
async function dab(voxel: Vec3) {
  const next: Vec3 = [voxel[0] + 1, voxel[1], voxel[2]];
  await paintStroke(page, 'axial', worldOf(voxel), worldOf(next), 2);
}

beforeAll(async () => {
  app = await openDemoApp({ studies: 2, labeled: 1 });
  ({ demo, page, errors: pageErrors } = app);
  await page.getByRole('button', { name: `Open ${STUDY}` }).click();
  await waitStudyLoaded(page, STUDY);
});

afterAll(() => app?.close());

describe('annotation tools in Chromium', () => {
  it('moves the other views to a point clicked with the crosshair', async () => {
    await useTool('Crosshair');
    await clickVoxel([20, 30, 31]);
    await expect
      .poll(() => page.getByLabel('Sagittal slice', { exact: true }).textContent())
      .toBe('Slice 20 of 0–95 (i)');
    expect(await page.getByLabel('Coronal slice', { exact: true }).textContent()).toBe(
      'Slice 30 of 0–95 (j)',
    );
    expect(await page.getByLabel('Axial slice', { exact: true }).textContent()).toBe(
      'Slice 31 of 0–63 (k)',
    );
  });

  it('applies window presets from the keyboard', async () => {
    await page.keyboard.press('3');
    await expect
      .poll(() => page.getByRole('spinbutton', { name: 'Width' }).inputValue())
      .toBe('400');
    expect(await page.getByRole('spinbutton', { name: 'Level' }).inputValue()).toBe('40');
    await page.keyboard.press('1');
  });

  it('paints a ball with the sphere brush and erases with Shift+drag', async () => {
    await gotoSlice(page, 'Axial', 30, 64);
    await useTool('Brush');
    await page.getByRole('radio', { name: 'Sphere' }).check();
    await dab([48, 48, 30]);
    await settle();
    // A 3 mm ball on 1.6 mm slices reaches the two slices on either side.
    expect(Object.keys(await sliceCounts(2))).toEqual(['28', '29', '30', '31', '32']);
    await waitForLabelVersions(demo, STUDY, 1);
    const [ball] = readLabels(demo.labelFile(STUDY));
    const centre = worldOf([48, 48, 30]);
    for (const [i, j, k] of ball!.voxels) {
      const w = voxelToWorld(ball!.affine, [i, j, k]);
      // Within the radius plus half a voxel diagonal (and the 1-voxel dab).
      expect(Math.hypot(w[0] - centre[0], w[1] - centre[1], w[2] - centre[2])).toBeLessThanOrEqual(
        3 + 2.2,
      );
    }
    const before = await total();
    await page.getByRole('radio', { name: 'Circle' }).check();
    await paintStroke(page, 'axial', worldOf([44, 48, 30]), worldOf([52, 48, 30]), 3, ['Shift']);
    await settle();
    expect((await sliceCounts(2))['30'] ?? 0).toBe(0);
    expect(await total()).toBeLessThan(before);
    await screenshot(page, 'tools-01-sphere-erased');
  });

  it('paints only voxels inside the range with the threshold brush', async () => {
    await gotoSlice(page, 'Axial', 36, 64);
    await useTool('Threshold brush');
    await page.getByRole('spinbutton', { name: 'Lowest value' }).fill('700');
    await page.getByRole('spinbutton', { name: 'Highest value' }).fill('5000');
    await paintStroke(page, 'axial', worldOf([30, 48, 36]), worldOf([66, 48, 36]), 6);
    await settle();
    const painted = (await sliceCounts(2))['36'] ?? 0;
    expect(painted).toBeGreaterThan(0);
    await waitSaved(page);
    const label = readLabelsWithIntensity(
      demo.labelFile(STUDY),
      path.join(demo.project, 'studies', STUDY, 'image.nii.gz'),
    );
    const onSlice = label.voxels.filter(([, , k]) => k === 36);
    expect(onSlice.length).toBe(painted);
    for (const voxel of onSlice) expect(voxel[4]).toBeGreaterThanOrEqual(700);
    // A plain brush would have covered about 37 × 7 voxels; the range must have excluded some.
    expect(painted).toBeLessThan(37 * 7 * 0.9);
    await screenshot(page, 'tools-02-threshold');
  });

  it('fills a rectangle and a disc with the scissors', async () => {
    await gotoSlice(page, 'Axial', 10, 64);
    await useTool('Rectangle scissors');
    await paintStroke(page, 'axial', worldOf([10, 10, 10]), worldOf([20, 16, 10]), 4);
    await settle();
    // Corners on voxel centres 10 mm × 6 mm apart: at most 11 × 7 voxels, all inside the corners
    // (under software rendering the first drag event can stand in for the press, so allow less).
    const rectangle = (await sliceCounts(2))['10'] ?? 0;
    expect(rectangle).toBeGreaterThanOrEqual(30);
    expect(rectangle).toBeLessThanOrEqual(11 * 7);
    for (const [i, j] of await page.evaluate(() => window.__simcvd!.sliceVoxels(2, 10))) {
      expect(i).toBeGreaterThanOrEqual(10);
      expect(i).toBeLessThanOrEqual(20);
      expect(j).toBeGreaterThanOrEqual(10);
      expect(j).toBeLessThanOrEqual(16);
    }
    await useTool('Circle scissors');
    await paintStroke(page, 'axial', worldOf([70, 70, 10]), worldOf([70, 76, 10]), 4);
    await settle();
    const disc = ((await sliceCounts(2))['10'] ?? 0) - rectangle;
    expect(Math.abs(disc - Math.PI * 36) / (Math.PI * 36)).toBeLessThan(0.3);
    await screenshot(page, 'tools-03-scissors');
  });

  it('flood-fills an empty slice and undoes it', async () => {
    await gotoSlice(page, 'Axial', 5, 64);
    await useTool('Fill');
    await clickVoxel([48, 48, 5]);
    await expect.poll(async () => (await sliceCounts(2))['5']).toBe(96 * 96);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await sliceCounts(2))['5']).toBeUndefined();
  });

  it('adds a label class in the label set editor and paints with it', async () => {
    await page.getByRole('button', { name: 'Add label' }).click();
    await page.getByRole('textbox', { name: 'Name of label 2' }).fill('vessel');
    await page.getByRole('button', { name: 'Save label set' }).click();
    await expect
      .poll(
        () =>
          JSON.parse(readFileSync(path.join(demo.project, 'project.json'), 'utf8')).labels.length,
      )
      .toBe(2);
    await page.getByRole('radio', { name: 'Paint with vessel' }).check();
    await gotoSlice(page, 'Axial', 50, 64);
    await useTool('Brush');
    await paintStroke(page, 'axial', worldOf([40, 60, 50]), worldOf([56, 60, 50]), 4);
    await settle();
    expect((await page.evaluate(() => window.__simcvd!.labelCounts()))['2']).toBeGreaterThan(0);
    await waitSaved(page);
    const [label] = readLabels(demo.labelFile(STUDY));
    expect(new Set(label!.voxels.map((v) => v[3]))).toEqual(new Set([1, 2]));
  });

  it('interpolates the active label between two annotated slices, leaving other labels alone', async () => {
    await page.keyboard.press('Control+z'); // the vessel stroke: label 2 only on the two discs below
    await expect
      .poll(async () => (await page.evaluate(() => window.__simcvd!.labelCounts()))['2'])
      .toBeUndefined();
    await useTool('Circle scissors');
    for (const k of [40, 46]) {
      await gotoSlice(page, 'Axial', k, 64);
      await paintStroke(page, 'axial', worldOf([48, 30, k]), worldOf([48, 36, k]), 3);
      await settle();
    }
    expect(Object.keys(await sliceCounts(2))).toContain('46');
    const label1Before = (await page.evaluate(() => window.__simcvd!.labelCounts()))['1'];
    await page.keyboard.press('i');
    await page.getByText('Filled 5 k-slices between annotated slices.').waitFor();
    const counts = await sliceCounts(2);
    for (let k = 40; k <= 46; k++) expect(counts[k]).toBeGreaterThan(60);
    expect((await page.evaluate(() => window.__simcvd!.labelCounts()))['1']).toBe(label1Before);
    await screenshot(page, 'tools-04-interpolated');
  });

  it('hides and shows the labels', async () => {
    await useTool('Crosshair'); // no brush cursor in the pictures
    await page.mouse.move(2, 2);
    const axial = page.getByRole('img', { name: 'Axial view' });
    const shown = await axial.screenshot();
    await page.keyboard.press('l');
    await page.waitForTimeout(300);
    const hidden = await axial.screenshot();
    await page.keyboard.press('l');
    await page.waitForTimeout(300);
    const again = await axial.screenshot();
    for (const [name, png] of [
      ['shown', shown],
      ['hidden', hidden],
      ['again', again],
    ] as const)
      writeFileSync(path.join(ARTIFACTS, `tools-labels-${name}.png`), png);
    expect(hidden.equals(shown)).toBe(false);
    expect(again.equals(shown)).toBe(true);
    await screenshot(page, 'tools-05-final');
    expect(pageErrors).toEqual([]);
  });
});

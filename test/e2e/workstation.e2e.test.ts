// End-to-end test of the workstation in a real browser (Node + Chromium): open a study, paint
// a stroke on a known slice, undo and redo, switch studies and back, survive a failed save,
// export — and check every label version on disk with nibabel through the world↔voxel mapping.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoApp, type DemoAppUnderTest } from './support/app';
import { screenshot } from './support/browser';
import { distanceToSegment } from './support/geometry';
import { readHeader, readLabels, voxelToWorld, type NiftiLabel } from './support/nibabel';
import type { DemoProject, Vec3 } from './support/project';
import {
  gotoSlice,
  paintStroke,
  studyRow,
  unnamedControls,
  waitForLabelVersions,
  waitSaved,
  waitStudyLoaded,
} from './support/workstation';

const STUDY = 'case_003';
const SLICE_K = 24;
const BRUSH_RADIUS_MM = 3;

let app: DemoAppUnderTest;
let demo: DemoProject;
let page: Page;
let pageErrors: string[];

/** Checks a saved label against a circle-brush stroke from world point a to b (RAS mm). */
function expectStrokeOnDisk(
  label: NiftiLabel,
  strokes: [Vec3, Vec3][],
  planeZ: number,
  spacing: Vec3,
) {
  // Voxel centres can sit up to half an in-plane voxel diagonal from the brush edge.
  const slack = 0.5 * Math.hypot(spacing[0], spacing[1]);
  expect(label.voxels.length).toBeGreaterThan(0);
  const painted = new Set<string>();
  for (const [i, j, k, value] of label.voxels) {
    expect(value).toBe(1);
    const world = voxelToWorld(label.affine, [i, j, k]);
    expect(Math.abs(world[2] - planeZ)).toBeLessThan(1e-3);
    const nearest = Math.min(...strokes.map(([a, b]) => distanceToSegment(world, a, b)));
    expect(nearest).toBeLessThanOrEqual(BRUSH_RADIUS_MM + slack);
    painted.add(`${i},${j},${k}`);
  }
  // Every voxel well inside the stroke must be painted.
  const [nx, ny] = label.shape as [number, number];
  const k = label.voxels[0]![2];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const world = voxelToWorld(label.affine, [i, j, k]);
      const nearest = Math.min(...strokes.map(([a, b]) => distanceToSegment(world, a, b)));
      if (nearest <= BRUSH_RADIUS_MM - slack) expect(painted.has(`${i},${j},${k}`)).toBe(true);
    }
  }
}

beforeAll(async () => {
  app = await openDemoApp({ studies: 4, labeled: 2 });
  ({ demo, page, errors: pageErrors } = app);
});

afterAll(() => app?.close());

describe('the workstation in Chromium', () => {
  const record = () => demo.study(STUDY);
  const worldOf = (voxel: Vec3) => demo.worldOf(STUDY, voxel);
  let firstStroke: [Vec3, Vec3];
  let savedStroke: NiftiLabel;

  it('lists the studies with their status and names every control', async () => {
    const list = page.getByRole('region', { name: /Studies/ });
    await expect.poll(() => list.getByRole('row').count()).toBe(5);
    expect(await list.getByRole('cell', { name: 'Labeled', exact: true }).count()).toBe(2);
    expect(await list.getByRole('cell', { name: 'Unlabeled', exact: true }).count()).toBe(2);
    for (const name of ['Brush', 'Eraser', 'Undo', 'Redo', 'Export', 'Interpolate slices']) {
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(1);
    }
    expect(await unnamedControls(page)).toEqual([]);
  });

  it('opens a study in three views in its true orientation and spacing', async () => {
    await page.getByRole('button', { name: `Open ${STUDY}` }).click();
    await waitStudyLoaded(page, STUDY);
    for (const view of ['Axial', 'Sagittal', 'Coronal'])
      expect(await page.getByRole('img', { name: `${view} view` }).isVisible()).toBe(true);
    // Radiological convention: the patient's left (RAS −x, voxel i = 0 here) on screen right.
    const [left, right] = await page.evaluate(() => [
      window.__simcvd!.worldToPage('axial', [40, 0, 0]),
      window.__simcvd!.worldToPage('axial', [-40, 0, 0]),
    ]);
    expect(right!.x).toBeGreaterThan(left!.x + 50);
    expect(await page.getByLabel('Axial left edge').textContent()).toBe('R');
    expect(await page.getByLabel('Axial right edge').textContent()).toBe('L');
    expect(await page.getByLabel('Axial top edge').textContent()).toBe('A');
    expect(await page.getByLabel('Coronal top edge').textContent()).toBe('S');
    // Anisotropic voxels (1 × 1 × 1.6 mm): 10 slices span 16 mm on screen, 10 columns 10 mm.
    const span = await page.evaluate(() => {
      const h = window.__simcvd!;
      const a = h.voxelToPage('coronal', [20, 48, 20])!;
      const b = h.voxelToPage('coronal', [30, 48, 20])!;
      const c = h.voxelToPage('coronal', [20, 48, 30])!;
      return {
        columns: Math.hypot(b.x - a.x, b.y - a.y),
        slices: Math.hypot(c.x - a.x, c.y - a.y),
      };
    });
    expect(span.slices / span.columns).toBeCloseTo(1.6, 1);
    await screenshot(page, '01-study-open');
  });

  it('paints a stroke on a known slice and autosaves it as a human label version', async () => {
    await gotoSlice(page, 'Axial', SLICE_K, 64);
    await page.getByRole('button', { name: 'Brush', exact: true }).click();
    expect(await page.getByRole('slider', { name: /Brush radius/ }).inputValue()).toBe(
      String(BRUSH_RADIUS_MM),
    );
    firstStroke = [worldOf([30, 40, SLICE_K]), worldOf([58, 47, SLICE_K])];
    await paintStroke(page, 'axial', firstStroke[0], firstStroke[1], 6);
    await waitForLabelVersions(demo, STUDY, 1);
    await waitSaved(page);
    await screenshot(page, '02-stroke-saved');
    const version = record().labelVersions[0]!;
    expect(version.provenance.kind).toBe('human');
    expect(version.final).toBe(false);
    // The stroke annotates the slice it was painted on: a partial label, saved with it.
    expect(version.annotatedSlices).toEqual({ i: [], j: [], k: [SLICE_K] });
    [savedStroke] = readLabels(demo.labelFile(STUDY));
    expect(savedStroke!.dtype).toBe('uint8');
    expectStrokeOnDisk(savedStroke!, [firstStroke], firstStroke[0][2], record().spacingMm);
    expect(
      await page
        .getByRole('row', { name: new RegExp(STUDY) })
        .getByText('Partially labeled')
        .count(),
    ).toBe(1);
    expect(await studyRow(page, STUDY).textContent()).toContain('1 / 64 slices');
  });

  it('undoes and redoes the stroke, each saved as a new version', async () => {
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.evaluate(() => window.__simcvd!.labelCounts())).toEqual({});
    await waitForLabelVersions(demo, STUDY, 2);
    expect(readLabels(demo.labelFile(STUDY))[0]!.voxels).toEqual([]);
    await waitSaved(page);
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await waitForLabelVersions(demo, STUDY, 3);
    await waitSaved(page);
    expect(readLabels(demo.labelFile(STUDY))[0]!.voxels).toEqual(savedStroke.voxels);
    expect(record().labelVersions.map((v) => v.id)).toEqual(['v0001', 'v0002', 'v0003']);
  });

  it('shows the saved stroke again after switching to another study and back', async () => {
    await page.getByRole('button', { name: 'Open case_001' }).click();
    await waitStudyLoaded(page, 'case_001');
    expect(Object.keys(await page.evaluate(() => window.__simcvd!.labelCounts()))).toEqual(['1']);
    await page.getByRole('button', { name: `Open ${STUDY}` }).click();
    await waitStudyLoaded(page, STUDY);
    expect(await page.evaluate(() => window.__simcvd!.labelCounts())).toEqual({
      '1': savedStroke.voxels.length,
    });
    await gotoSlice(page, 'Axial', SLICE_K, 64);
    await screenshot(page, '03-back-to-study');
  });

  it('shows a failed save, keeps the stroke in memory and saves it on retry', async () => {
    await page.route('**/api/labels.save', (route) => route.abort('connectionrefused'));
    const second: [Vec3, Vec3] = [worldOf([34, 60, SLICE_K]), worldOf([50, 62, SLICE_K])];
    await paintStroke(page, 'axial', second[0], second[1], 4);
    const status = page.locator('[data-save-state]');
    await expect
      .poll(() => status.textContent(), { timeout: 20_000 })
      .toMatch(/Save failed .*retrying/);
    expect(await page.getByRole('button', { name: 'Retry now' }).isVisible()).toBe(true);
    await screenshot(page, '04-save-failed');
    expect(record().labelVersions.length).toBe(3);
    await page.unroute('**/api/labels.save');
    // On a loaded machine the automatic retry can win the race with the click; either way the
    // stroke must reach the disk.
    const retry = page.getByRole('button', { name: 'Retry now' });
    await retry.click({ timeout: 3_000 }).catch(async () => expect(await retry.count()).toBe(0));
    await waitForLabelVersions(demo, STUDY, 4);
    await waitSaved(page);
    const [both] = readLabels(demo.labelFile(STUDY));
    expectStrokeOnDisk(both!, [firstStroke, second], firstStroke[0][2], record().spacingMm);
    expect(both!.voxels.length).toBeGreaterThan(savedStroke.voxels.length);
  });

  it('exports finished labels only, then the study once finished, as NIfTI that nibabel reads on the image geometry', async () => {
    const outDir = path.join(demo.root, 'exported');
    const panel = page.getByRole('region', { name: 'Export' });
    // Served to a browser there is no folder dialog: only the typed path, and no failed call.
    expect(await panel.getByRole('button', { name: 'Choose…' }).count()).toBe(0);
    await panel.getByText(/folder dialogs need the desktop app/).waitFor();
    await panel.getByRole('textbox', { name: 'Export folder' }).fill(outDir);
    await panel.getByRole('button', { name: 'Export', exact: true }).click();
    // The painted study is partial: reported as skipped, not written (no ignore label asked).
    await panel.getByText(/Wrote 2 label files .* skipped 1 study/).waitFor();
    expect(await panel.getByRole('list', { name: 'Skipped studies' }).textContent()).toMatch(
      new RegExp(`${STUDY}: label v0004 is partial \\(annotated slices only\\)`),
    );

    await page.getByRole('checkbox', { name: 'Annotation finished' }).check();
    await waitForLabelVersions(demo, STUDY, 5);
    await waitSaved(page);
    expect(record().labelVersions.at(-1)!.final).toBe(true);
    await panel.getByRole('radio', { name: 'Selected studies' }).check();
    await panel.getByRole('button', { name: 'Select none' }).click();
    await panel.getByRole('checkbox', { name: STUDY }).check();
    await panel.getByRole('button', { name: 'Export', exact: true }).click();
    await panel.getByText(`Wrote 1 label file to ${outDir}`).waitFor();
    await panel.getByText('Files written (1)').click();
    expect(await panel.getByRole('list', { name: 'Exported files' }).textContent()).toBe(
      `${STUDY}.nii.gz — v0005, human`,
    );
    await screenshot(page, '05-exported');
    const [exported, current] = readLabels(
      path.join(outDir, `${STUDY}.nii.gz`),
      demo.labelFile(STUDY),
    );
    const image = readHeader(path.join(demo.project, 'studies', STUDY, 'image.nii.gz'));
    expect(exported!.voxels).toEqual(current!.voxels);
    expect(exported!.voxels.length).toBeGreaterThan(0);
    expect(exported!.shape).toEqual(image.shape);
    exported!.affine.flat().forEach((x, n) => expect(x).toBeCloseTo(image.affine.flat()[n]!, 5));
  });

  it('lists the shortcuts in a help overlay', async () => {
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts and mouse' });
    await dialog.waitFor();
    expect(await dialog.getByText('Undo', { exact: true }).count()).toBe(1);
    await screenshot(page, '06-help');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // The only failed request is the outage the save test staged.
    expect(pageErrors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
  });
});

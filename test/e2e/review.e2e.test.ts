// End-to-end test of reviewing proposals in a real browser (Node + Chromium): a tiny model is
// trained and predicts through the CLI, then the app shows proposals to review, opens one as
// an editable proposal (never autosaved), accepts it with a painted stroke (checked on disk with
// nibabel), goes to the next study at its most informative slice, toggles the uncertainty
// overlay and rejects a proposal.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoApp, type DemoAppUnderTest } from './support/app';
import { screenshot } from './support/browser';
import { distanceToSegment } from './support/geometry';
import { readLabels, voxelToWorld } from './support/nibabel';
import type { DemoProject, Vec3 } from './support/project';
import {
  gotoSlice,
  labelTotal as labelTotalOf,
  paintStroke,
  studyRow,
  waitForLabelVersions,
  waitStudyLoaded,
} from './support/workstation';
import { simcvdSync } from '../helpers/cli';

const MODEL = 'm0001';
const FIRST = 'case_003';
const SECOND = 'case_004';
const STROKE_K = 30;
const BRUSH_RADIUS_MM = 3;

let app: DemoAppUnderTest;
let demo: DemoProject;
let page: Page;
let pageErrors: string[];

const proposalDir = (studyId: string) => path.join(demo.project, 'predictions', MODEL, studyId);
const topSliceOf = (studyId: string) =>
  (
    JSON.parse(readFileSync(path.join(proposalDir(studyId), 'summary.json'), 'utf8')) as {
      topSlice: number;
    }
  ).topSlice;
const statusCell = (studyId: string) => studyRow(page, studyId);
const reviewLayers = () => page.evaluate(() => window.__simcvd!.reviewLayers());
const labelTotal = () => labelTotalOf(page);

const worldOf: DemoProject['worldOf'] = (studyId, voxel) => demo.worldOf(studyId, voxel);

beforeAll(async () => {
  app = await openDemoApp(
    { studies: 4, labeled: 2 },
    {
      // A tiny model and its proposals, made with the CLI as a user would.
      prepare: ({ project }) => {
        simcvdSync([
          'train',
          project,
          '--profile',
          'tiny',
          '--iterations',
          '2',
          '--backend',
          'cpu',
        ]);
        simcvdSync(['predict', project, '--backend', 'cpu']);
      },
    },
  );
  ({ demo, page, errors: pageErrors } = app);
}, 180_000);

afterAll(() => app?.close());

describe('reviewing proposals in Chromium', () => {
  let stroke: [Vec3, Vec3];

  it('lists the studies with a proposal to review and the model that made them', async () => {
    await expect
      .poll(() => page.getByRole('cell', { name: 'Proposal to review', exact: true }).count())
      .toBe(2);
    for (const id of [FIRST, SECOND])
      expect(await statusCell(id).getByText('Proposal to review').count()).toBe(1);
    const models = page.getByRole('region', { name: 'Models' });
    await expect
      .poll(() => models.getByRole('listitem', { name: `Model ${MODEL}` }).count())
      .toBe(1);
    expect(await models.getByText('active', { exact: true }).count()).toBe(1);
    const review = page.getByRole('region', { name: 'Review' });
    expect(await review.getByText(`Proposals of ${MODEL}`).count()).toBe(1);
    expect(await review.getByRole('button', { name: `Review ${FIRST}` }).count()).toBe(1);
    await screenshot(page, 'review-01-proposals-listed');
    expect(pageErrors).toEqual([]);
  });

  it('opens a proposal as an editable mask, drawn as a proposal and never autosaved', async () => {
    await page.getByRole('button', { name: `Open ${FIRST}` }).click();
    await waitStudyLoaded(page, FIRST);
    const banner = page.getByRole('status', { name: 'Proposal under review' });
    await expect.poll(() => banner.textContent()).toMatch(`Proposal from ${MODEL}`);
    expect(await reviewLayers()).toEqual({
      labelmapMode: 'proposal',
      uncertainty: false,
      reference: false,
    });
    const [proposal] = readLabels(path.join(proposalDir(FIRST), 'label.nii.gz'));
    expect(await labelTotal()).toBe(proposal!.voxels.length);

    await gotoSlice(page, 'Axial', STROKE_K, 64);
    await page.getByRole('button', { name: 'Brush', exact: true }).click();
    stroke = [worldOf(FIRST, [20, 30, STROKE_K]), worldOf(FIRST, [40, 34, STROKE_K])];
    const before = await labelTotal();
    await paintStroke(page, 'axial', stroke[0], stroke[1], 5);
    await expect.poll(labelTotal).toBeGreaterThan(before);
    await expect.poll(() => banner.textContent()).toMatch(/edited/);
    // Longer than the autosave delay: a proposal is saved only by accepting it.
    await page.waitForTimeout(2500);
    expect(demo.study(FIRST).labelVersions).toEqual([]);
    await screenshot(page, 'review-02-proposal-edited');
    expect(pageErrors).toEqual([]);
  });

  it('saves the edits of a proposal as a draft that a reload brings back, at the same slice', async () => {
    const edited = await labelTotal();
    const draft = path.join(demo.project, 'studies', FIRST, 'drafts', `${MODEL}.nii.gz`);
    await expect.poll(() => existsSync(draft), { timeout: 15_000 }).toBe(true);
    expect(demo.study(FIRST).labelVersions).toEqual([]);
    await page.reload();
    // The open study comes back by itself, at the slice it was left on, with the edit.
    await waitStudyLoaded(page, FIRST);
    await expect.poll(labelTotal).toBe(edited);
    await expect
      .poll(() => page.getByLabel('Axial slice', { exact: true }).textContent())
      .toMatch(new RegExp(`^Slice ${STROKE_K} of`));
    const banner = page.getByRole('status', { name: 'Proposal under review' });
    await expect.poll(() => banner.textContent()).toMatch(/edited/);
    await screenshot(page, 'review-02a-draft-after-reload');
    expect(pageErrors).toEqual([]);
  });

  it('keeps the edits of a proposal left without accepting, and brings them back', async () => {
    const edited = await labelTotal();
    await page.getByRole('button', { name: `Open ${SECOND}` }).click();
    await waitStudyLoaded(page, SECOND);
    // Left without accepting: the edits stay a draft in the project, not a label version.
    const draft = path.join(demo.project, 'studies', FIRST, 'drafts', `${MODEL}.nii.gz`);
    expect(existsSync(draft)).toBe(true);
    expect(demo.study(FIRST).labelVersions).toEqual([]);
    await screenshot(page, 'review-02b-edited-proposal-kept');
    await page.getByRole('button', { name: `Open ${FIRST}` }).click();
    await waitStudyLoaded(page, FIRST);
    await expect.poll(labelTotal).toBe(edited);
    const banner = page.getByRole('status', { name: 'Proposal under review' });
    await expect.poll(() => banner.textContent()).toMatch(/edited/);
    await expect
      .poll(() => page.getByText(`Your edits of the proposal of ${MODEL} are back`).count())
      .toBe(1);
    expect(demo.study(FIRST).labelVersions).toEqual([]);
    await screenshot(page, 'review-02c-edited-proposal-back');
    expect(pageErrors).toEqual([]);
  });

  it('accepts the edited proposal as a final label version with model provenance', async () => {
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await waitForLabelVersions(demo, FIRST, 1);
    const version = demo.study(FIRST).labelVersions[0]!;
    expect(version).toMatchObject({
      final: true,
      provenance: { kind: 'model', modelId: MODEL, edited: true },
    });
    const [saved, proposal] = readLabels(
      demo.labelFile(FIRST),
      path.join(proposalDir(FIRST), 'label.nii.gz'),
    );
    const key = (v: readonly (number | undefined)[]) => `${v[0]},${v[1]},${v[2]}`;
    const proposed = new Set(proposal!.voxels.map(key));
    const savedSet = new Set(saved!.voxels.map(key));
    // Everything the model proposed is kept; what was added is the stroke, on its slice.
    for (const v of proposed) expect(savedSet.has(v)).toBe(true);
    const added = saved!.voxels.filter((v) => !proposed.has(key(v)));
    expect(added.length).toBeGreaterThan(10);
    const spacing = demo.study(FIRST).spacingMm;
    const slack = 0.5 * Math.hypot(spacing[0], spacing[1]);
    for (const [i, j, k, value] of added) {
      expect(value).toBe(1);
      expect(k).toBe(STROKE_K);
      const world = voxelToWorld(saved!.affine, [i, j, k]);
      expect(distanceToSegment(world, stroke[0], stroke[1])).toBeLessThanOrEqual(
        BRUSH_RADIUS_MM + slack,
      );
    }
    await expect.poll(() => statusCell(FIRST).getByText('Accepted').count()).toBe(1);
    await expect
      .poll(() => page.getByRole('status', { name: 'Proposal under review' }).count())
      .toBe(0);
    expect((await reviewLayers()).labelmapMode).toBe('human');
    await screenshot(page, 'review-03-accepted');
    expect(pageErrors).toEqual([]);
  });

  it('"Next study" opens the other proposal at its most informative slice', async () => {
    await page.getByRole('button', { name: 'Next study', exact: true }).click();
    await waitStudyLoaded(page, SECOND);
    await expect
      .poll(() => page.getByRole('status', { name: 'Proposal under review' }).count())
      .toBe(1);
    const top = topSliceOf(SECOND);
    await expect
      .poll(() => page.getByLabel('Axial slice', { exact: true }).textContent())
      .toMatch(new RegExp(`^Slice ${top} of`));
    await screenshot(page, 'review-04-next-study');
    expect(pageErrors).toEqual([]);
  });

  it('toggles the uncertainty overlay on and off', async () => {
    const toggle = page.getByRole('button', { name: 'Uncertainty overlay' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    await expect.poll(async () => (await reviewLayers()).uncertainty).toBe(true);
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    // Painting still goes to the proposal, not to the overlay.
    expect((await reviewLayers()).labelmapMode).toBe('proposal');
    await page.waitForTimeout(300);
    await screenshot(page, 'review-05-uncertainty');
    await toggle.click();
    await expect.poll(async () => (await reviewLayers()).uncertainty).toBe(false);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(pageErrors).toEqual([]);
  });

  it('rejects a proposal after asking once, undoes it, and rejects it again', async () => {
    const confirm = page.getByRole('alertdialog', { name: 'Confirm rejection' });
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => confirm.count()).toBe(1);
    // Asking is not deciding: nothing is saved until the rejection is confirmed.
    expect(demo.study(SECOND).review?.decision).not.toBe('rejected');
    await screenshot(page, 'review-06a-reject-asks');
    await confirm.getByRole('button', { name: 'Reject proposal' }).click();
    await expect.poll(() => statusCell(SECOND).getByText('Rejected').count()).toBe(1);
    await expect.poll(() => demo.study(SECOND).review?.decision).toBe('rejected');

    await page.getByRole('button', { name: `Undo the rejection of ${SECOND}` }).click();
    await expect.poll(() => statusCell(SECOND).getByText('Proposal to review').count()).toBe(1);
    await expect.poll(() => demo.study(SECOND).review?.decision ?? 'none').not.toBe('rejected');
    await screenshot(page, 'review-06b-reject-undone');

    await page.getByRole('button', { name: `Open ${SECOND}` }).click();
    await waitStudyLoaded(page, SECOND);
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await confirm.getByRole('button', { name: 'Reject proposal' }).click();
    await expect.poll(() => statusCell(SECOND).getByText('Rejected').count()).toBe(1);
    await expect.poll(() => demo.study(SECOND).review?.decision).toBe('rejected');
    expect(demo.study(SECOND).labelVersions).toEqual([]);
    await waitStudyLoaded(page, SECOND);
    await expect.poll(labelTotal).toBe(0);
    expect((await reviewLayers()).labelmapMode).toBe('human');
    await page.getByRole('button', { name: 'Next study', exact: true }).click();
    await expect.poll(() => page.getByText('No study is waiting for review.').count()).toBe(1);
    await screenshot(page, 'review-06-rejected');
    expect(pageErrors).toEqual([]);
  });
});

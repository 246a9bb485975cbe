// End-to-end test of the whole loop in a real browser (Node + Chromium against `simcvd serve
// --backend cpu`, tiny profile): annotate a study, estimate and train with live progress,
// curves and a preview (surviving a reload), proposals appear, accept one, go to the next
// study, export, and nibabel reads every exported file on its study's geometry. Last, a run is
// cancelled and offered for resuming.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoApp, type DemoAppUnderTest } from './support/app';
import { screenshot } from './support/browser';
import { readHeader, readLabels } from './support/nibabel';
import type { DemoProject } from './support/project';
import {
  gotoSlice,
  paintStroke,
  studyRow,
  waitForLabelVersions,
  waitSaved,
  waitStudyLoaded,
} from './support/workstation';

/** case_001 and case_002 come labeled; case_003 is annotated here; 004 and 005 get proposals. */
const ANNOTATED = 'case_003';
const PROPOSED = ['case_004', 'case_005'];
const STROKE_K = 30;

let app: DemoAppUnderTest;
let demo: DemoProject;
let page: Page;
let pageErrors: string[];
let modelId = '';
let accepted = '';

const panel = () => page.getByRole('region', { name: 'Training' });
const text = async () => (await panel().textContent()) ?? '';
const statusCell = (studyId: string) => studyRow(page, studyId);
const worldOf: DemoProject['worldOf'] = (studyId, voxel) => demo.worldOf(studyId, voxel);

beforeAll(async () => {
  app = await openDemoApp({ studies: 5, labeled: 2 }, { serveArgs: ['--backend', 'cpu'] });
  ({ demo, page, errors: pageErrors } = app);
}, 180_000);

afterAll(() => app?.close());

describe('the whole loop in Chromium', () => {
  it('annotates a study and marks it finished', async () => {
    await page.getByRole('button', { name: `Open ${ANNOTATED}` }).click();
    await waitStudyLoaded(page, ANNOTATED);
    await gotoSlice(page, 'Axial', STROKE_K, 64);
    await page.getByRole('button', { name: 'Brush', exact: true }).click();
    await paintStroke(
      page,
      'axial',
      worldOf(ANNOTATED, [24, 28, STROKE_K]),
      worldOf(ANNOTATED, [40, 36, STROKE_K]),
      6,
    );
    await page.getByRole('checkbox', { name: 'Annotation finished' }).check();
    await waitSaved(page);
    await expect.poll(() => demo.study(ANNOTATED).labelVersions.at(-1)?.final).toBe(true);
    await expect.poll(() => statusCell(ANNOTATED).getByText('Labeled').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('estimates the run on the detected backend', async () => {
    await panel().getByRole('combobox', { name: 'Profile' }).selectOption('tiny');
    await expect
      .poll(text, { timeout: 120_000 })
      .toMatch(/About .+ on cpu, \d+ compute threads? \(12 iterations/);
    expect(await text()).toMatch(/Studies: 3 labeled, 2 unlabeled/);
    expect(pageErrors).toEqual([]);
  });

  it('trains with live progress, curves and a preview, and survives a reload', async () => {
    await panel().getByRole('button', { name: 'Train', exact: true }).click();
    await expect
      .poll(() => panel().getByRole('progressbar', { name: 'Training progress' }).count())
      .toBe(1);
    const totalLoss = panel().getByRole('img', { name: /^Total loss: .* at iteration \d+/ });
    await expect.poll(() => totalLoss.count(), { timeout: 120_000 }).toBe(1);
    expect(await panel().getByRole('button', { name: 'Train', exact: true }).isDisabled()).toBe(
      true,
    );

    await panel().getByRole('checkbox', { name: 'Preview on this slice' }).check();
    const preview = panel().getByRole('img', { name: /^Foreground probability of the teacher/ });
    await expect.poll(() => preview.count(), { timeout: 90_000 }).toBe(1);
    await screenshot(page, 'loop-01-training');

    await page.reload();
    await expect.poll(text, { timeout: 60_000 }).toMatch(/Training|Predicting proposals|Finished/);
    // The chosen profile is remembered across reloads.
    expect(await panel().getByRole('combobox', { name: 'Profile' }).inputValue()).toBe('tiny');
    await expect.poll(() => totalLoss.count(), { timeout: 60_000 }).toBe(1);
    for (const title of ['Supervised', 'Contrastive', 'Pair-wise distillation', 'Consistency'])
      expect(
        await panel()
          .getByRole('img', { name: new RegExp(`^${title}: `) })
          .count(),
      ).toBe(1);

    await expect.poll(text, { timeout: 180_000 }).toMatch(/Finished/);
    modelId = /Model(m\d{4})/.exec(await text())?.[1] ?? '';
    expect(modelId).toMatch(/^m\d{4}$/);
    await expect.poll(() => totalLoss.getAttribute('aria-label')).toMatch(/at iteration 12 /);
    await screenshot(page, 'loop-02-trained');
    expect(pageErrors).toEqual([]);
  });

  it('shows the proposals that followed training; the first one to review is edited and accepted', async () => {
    for (const id of PROPOSED)
      await expect
        .poll(() => statusCell(id).getByText('Proposal to review').count(), { timeout: 30_000 })
        .toBe(1);
    const models = page.getByRole('region', { name: 'Models' });
    await expect
      .poll(() => models.getByRole('listitem', { name: `Model ${modelId}` }).count())
      .toBe(1);

    await page.getByRole('button', { name: 'Next study', exact: true }).click();
    const banner = page.getByRole('status', { name: 'Proposal under review' });
    await expect.poll(() => banner.textContent()).toMatch(`Proposal from ${modelId}`);
    accepted = (await page.evaluate(() => window.__simcvd!.studyId())) ?? '';
    expect(PROPOSED).toContain(accepted);
    await waitStudyLoaded(page, accepted);
    const proposalFile = path.join(demo.project, 'predictions', modelId, accepted, 'label.nii.gz');
    const [proposal] = readLabels(proposalFile);
    // A 12-iteration model may well propose nothing: then Accept waits for an edit.
    const accept = page.getByRole('button', { name: 'Accept', exact: true });
    if (proposal!.voxels.length === 0) expect(await accept.isDisabled()).toBe(true);
    const k = Number(
      /^Slice (\d+) of/.exec(
        (await page.getByLabel('Axial slice', { exact: true }).textContent())!,
      )![1],
    );
    await page.getByRole('button', { name: 'Brush', exact: true }).click();
    await paintStroke(
      page,
      'axial',
      worldOf(accepted, [30, 30, k]),
      worldOf(accepted, [44, 40, k]),
      6,
    );
    await expect.poll(() => banner.textContent()).toMatch(/edited/);
    await accept.click();
    await waitForLabelVersions(demo, accepted, 1);
    expect(demo.study(accepted).labelVersions[0]).toMatchObject({
      final: true,
      provenance: { kind: 'model', modelId, edited: true },
    });
    await expect.poll(() => statusCell(accepted).getByText('Accepted').count()).toBe(1);
    // What the model proposed is kept; what was added lies on the painted slice.
    const [label] = readLabels(demo.labelFile(accepted));
    const key = (v: readonly (number | undefined)[]) => `${v[0]},${v[1]},${v[2]}`;
    const saved = new Set(label!.voxels.map(key));
    for (const v of proposal!.voxels) expect(saved.has(key(v))).toBe(true);
    const proposed = new Set(proposal!.voxels.map(key));
    const added = label!.voxels.filter((v) => !proposed.has(key(v)));
    expect(added.length).toBeGreaterThan(10);
    for (const v of added) expect(v[2]).toBe(k);
    await screenshot(page, 'loop-03-accepted');
    expect(pageErrors).toEqual([]);
  });

  it('goes to the next study the model suggests, at its most informative slice', async () => {
    const next = PROPOSED.find((id) => id !== accepted)!;
    await page.getByRole('button', { name: 'Next study', exact: true }).click();
    await waitStudyLoaded(page, next);
    const summary = JSON.parse(
      readFileSync(path.join(demo.project, 'predictions', modelId, next, 'summary.json'), 'utf8'),
    ) as { topSlice: number };
    await expect
      .poll(() => page.getByLabel('Axial slice', { exact: true }).textContent())
      .toMatch(new RegExp(`^Slice ${summary.topSlice} of`));
    expect(pageErrors).toEqual([]);
  });

  it('exports human and accepted labels, which nibabel reads on each study geometry', async () => {
    const outDir = path.join(demo.root, 'exported');
    const exportPanel = page.getByRole('region', { name: 'Export' });
    await exportPanel.getByRole('textbox', { name: 'Export folder' }).fill(outDir);
    await exportPanel.getByRole('button', { name: 'Export', exact: true }).click();
    await exportPanel.getByText(`Wrote 4 label files to ${outDir}`).waitFor({ timeout: 60_000 });
    await exportPanel.getByText('Files written (4)').click();
    const listed = (await exportPanel.getByRole('list', { name: 'Exported files' }).textContent())!;
    expect(listed).toContain(`${accepted}.nii.gz — v0001, accepted`);
    expect(listed).toMatch(new RegExp(`${ANNOTATED}\\.nii\\.gz — v\\d{4}, human`));
    await screenshot(page, 'loop-04-exported');

    for (const id of ['case_001', 'case_002', ANNOTATED, accepted]) {
      const [exported, stored] = readLabels(path.join(outDir, `${id}.nii.gz`), demo.labelFile(id));
      const image = readHeader(path.join(demo.project, 'studies', id, 'image.nii.gz'));
      expect(exported!.shape).toEqual(image.shape);
      exported!.affine.flat().forEach((x, n) => expect(x).toBeCloseTo(image.affine.flat()[n]!, 5));
      expect(exported!.voxels).toEqual(stored!.voxels);
    }
    expect(pageErrors).toEqual([]);
  });

  it('cancels a run and offers to resume it', async () => {
    // A continuation is short (4 iterations); from scratch leaves time to cancel midway.
    await panel().getByRole('radio', { name: 'From scratch' }).check();
    await panel().getByRole('button', { name: 'Train', exact: true }).click();
    const cancel = panel().getByRole('button', { name: 'Cancel training' });
    await expect.poll(() => cancel.isEnabled(), { timeout: 60_000 }).toBe(true);
    // Cancel once the new run has iterated, so that it leaves a checkpoint to resume.
    await expect.poll(text, { timeout: 120_000 }).toMatch(/Iteration([1-9]|1[01]) \/ 12 \(/);
    await cancel.click();
    await expect.poll(text, { timeout: 60_000 }).toMatch(/Cancelled/);
    const resume = panel().getByRole('checkbox', { name: /^Resume the interrupted tiny run/ });
    await expect.poll(() => resume.count(), { timeout: 30_000 }).toBe(1);
    await screenshot(page, 'loop-05-cancelled');
    expect(pageErrors).toEqual([]);
  });
});

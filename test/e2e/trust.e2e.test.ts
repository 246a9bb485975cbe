// End-to-end test of what keeps a reviewer from accepting the wrong mask (Node + Chromium): a
// model trained with the CLI on labels that cover nearly the whole volume proposes masks that
// fill it; the study table and the Review panel show their size and a warning. With such a
// study open, a second model trained from the Train panel (continuing the first) replaces the
// proposal on screen — overlay, banner and panel together — without reopening the study.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoApp, type DemoAppUnderTest } from './support/app';
import { screenshot } from './support/browser';
import type { DemoProject } from './support/project';
import { labelTotal as labelTotalOf, studyRow, waitStudyLoaded } from './support/workstation';
import { simcvdSync } from '../helpers/cli';
import { runPythonJson } from '../helpers/fixtures';

const LABELED = ['case_001', 'case_002'];
const OPEN = 'case_003';

let app: DemoAppUnderTest;
let demo: DemoProject;
let page: Page;
let pageErrors: string[];

interface StoredFacts {
  facts: { foregroundVoxels: number; borderSlices: number; slices: number };
}
const storedFacts = (modelId: string, studyId: string) =>
  (
    JSON.parse(
      readFileSync(
        path.join(demo.project, 'predictions', modelId, studyId, 'summary.json'),
        'utf8',
      ),
    ) as StoredFacts
  ).facts;
const banner = () => page.getByRole('status', { name: 'Proposal under review' });
const review = () => page.getByRole('region', { name: 'Review' });
const trainPanel = () => page.getByRole('region', { name: 'Training' });
const labelTotal = () => labelTotalOf(page);

beforeAll(async () => {
  app = await openDemoApp(
    { studies: 4, labeled: 0 },
    {
      prepare: ({ root, project }) => {
        // Labels of everything but the structure: a model learns to propose nearly the whole
        // volume, as an undertrained model on real data may.
        const data = path.join(root, 'data');
        runPythonJson(
          [
            'import sys, nibabel as nib, numpy as np',
            'data, out = sys.argv[1], sys.argv[2]',
            `for case in ${JSON.stringify(LABELED)}:`,
            "    im = nib.load(f'{data}/labelsTr/{case}.nii.gz')",
            '    inverse = (np.asarray(im.dataobj) == 0).astype(np.uint8)',
            "    nib.save(nib.Nifti1Image(inverse, im.affine), f'{out}/{case}.nii.gz')",
            'print(1)',
          ].join('\n'),
          [data, root],
        );
        for (const id of LABELED)
          simcvdSync(['label', project, id, path.join(root, `${id}.nii.gz`)]);
        simcvdSync([
          'train',
          project,
          '--profile',
          'tiny',
          '--iterations',
          '30',
          '--backend',
          'cpu',
        ]);
      },
      serveArgs: ['--backend', 'cpu'],
    },
  );
  ({ demo, page, errors: pageErrors } = app);
}, 240_000);

afterAll(() => app?.close());

describe('proposals a reviewer can trust, in Chromium', () => {
  it('shows the size of a proposal that fills the volume, and a warning, in the study table', async () => {
    const facts = storedFacts('m0001', OPEN);
    const total = demo.study(OPEN).dims.reduce((a, b) => a * b, 1);
    // The fixture is what this test is about: nearly the whole volume, on most slices' border.
    expect(facts.foregroundVoxels / total).toBeGreaterThan(0.8);
    const row = studyRow(page, OPEN);
    await expect
      .poll(() => row.getByLabel(`${facts.foregroundVoxels} proposed voxels`).count())
      .toBe(1);
    const percent = Math.round((100 * facts.foregroundVoxels) / total);
    expect(await row.textContent()).toContain(
      `m0001: ${facts.foregroundVoxels.toLocaleString('en-US')} voxels (${percent} % of the volume)`,
    );
    expect(await row.textContent()).toContain('⚠ touches the border');
    await screenshot(page, 'trust-01-table');
    expect(pageErrors).toEqual([]);
  });

  it('shows the size in voxels and mL and the warning in the Review panel', async () => {
    await page.getByRole('button', { name: `Open ${OPEN}` }).click();
    await waitStudyLoaded(page, OPEN);
    const facts = storedFacts('m0001', OPEN);
    const panel = review().getByLabel(`Facts of the proposal for ${OPEN}`);
    await expect.poll(() => panel.count()).toBe(1);
    const size = (await panel.textContent()) ?? '';
    expect(size).toContain(`${facts.foregroundVoxels.toLocaleString('en-US')} voxels`);
    // 1 × 1 × 1.6 mm voxels.
    const ml = (facts.foregroundVoxels * 1.6) / 1000;
    expect(size).toContain(`${ml.toFixed(0)} mL`);
    expect(size).toContain('not validated');
    const warnings = review().getByRole('alert', { name: 'Warnings' });
    expect(await warnings.textContent()).toContain(
      `The mask touches the edge of the volume on ${facts.borderSlices} of ${facts.slices} slices.`,
    );
    await expect.poll(() => banner().textContent()).toMatch('Proposal from m0001');
    expect(await labelTotal()).toBe(facts.foregroundVoxels);
    await screenshot(page, 'trust-02-review-facts');
    expect(pageErrors).toEqual([]);
  });

  it('switches the open study to the next model’s proposal when it is trained', async () => {
    // The first model is a tiny one: with the same profile, continuing it is the default.
    await trainPanel().getByRole('combobox', { name: 'Profile' }).selectOption('tiny');
    const startFrom = trainPanel().getByRole('radio', { name: /^Continue from m0001/ });
    await expect.poll(() => startFrom.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => startFrom.isChecked(), { timeout: 60_000 }).toBe(true);
    await trainPanel().getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => trainPanel().textContent(), { timeout: 240_000 }).toMatch(/Finished/);
    // No click on the study: the proposal shown follows the new active model.
    await expect
      .poll(() => banner().textContent(), { timeout: 60_000 })
      .toMatch('Proposal from m0002');
    await expect.poll(() => review().textContent()).toMatch('Proposals of m0002');
    const facts = storedFacts('m0002', OPEN);
    await expect.poll(labelTotal).toBe(facts.foregroundVoxels);
    expect(await review().getByLabel(`Facts of the proposal for ${OPEN}`).textContent()).toContain(
      `${facts.foregroundVoxels.toLocaleString('en-US')} voxel`,
    );
    const record = JSON.parse(
      readFileSync(path.join(demo.project, 'models', 'm0002', 'record.json'), 'utf8'),
    ) as { parent: string | null };
    expect(record.parent).toBe('m0001');
    await screenshot(page, 'trust-03-next-model');
    expect(pageErrors).toEqual([]);
  });
});

// End-to-end test of sparse annotation (Node + Chromium): paint three slices in each of two
// studies and mark one empty slice done, see the counts in the study list and the run's plan,
// train tiny on the two partial labels, see proposals, and export the partial labels with an
// ignore value off the annotated slices — checked on disk with nibabel.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoApp, type DemoAppUnderTest } from './support/app';
import { screenshot } from './support/browser';
import type { DemoProject } from './support/project';
import {
  gotoSlice,
  paintStroke,
  studyRow,
  waitSaved,
  waitStudyLoaded,
} from './support/workstation';
import { runPythonJson } from '../helpers/fixtures';

/** Painted axial slices (0-based k) per study, and the slice marked done with nothing on it. */
const PAINTED: Record<string, number[]> = { case_001: [20, 30, 40], case_002: [24, 32, 38] };
const EMPTY_DONE = { study: 'case_002', k: 5 };
const SLICES = 64;

let app: DemoAppUnderTest;
let demo: DemoProject;
let page: Page;
let pageErrors: string[];

const trainPanel = () => page.getByRole('region', { name: 'Training' });
/** Page errors but an estimate still being measured when Train was clicked: the back end stops
 *  that measurement for the job and answers it with CONFLICT, as it should. */
const unexpectedErrors = () =>
  pageErrors.filter(
    (e) =>
      !/^response 409: .*\/api\/training\.estimate$/.test(e) &&
      !/Failed to load resource: .* 409 \(Conflict\)/.test(e),
  );
const trainText = async () => (await trainPanel().textContent()) ?? '';

beforeAll(async () => {
  app = await openDemoApp({ studies: 5, labeled: 0 }, { serveArgs: ['--backend', 'cpu'] });
  ({ demo, page, errors: pageErrors } = app);
}, 180_000);

afterAll(() => app?.close());

describe('sparse annotation in Chromium', () => {
  it('paints three slices in each of two studies, and marks an empty slice done', async () => {
    for (const [study, slices] of Object.entries(PAINTED)) {
      await page.getByRole('button', { name: `Open ${study}` }).click();
      await waitStudyLoaded(page, study);
      await page.getByRole('button', { name: 'Brush', exact: true }).click();
      for (const k of slices) {
        await gotoSlice(page, 'Axial', k, SLICES);
        await paintStroke(
          page,
          'axial',
          demo.worldOf(study, [40, 44, k]),
          demo.worldOf(study, [52, 48, k]),
          5,
        );
        await expect.poll(() => page.getByLabel('Axial slice annotated').count()).toBe(1);
      }
      if (study === EMPTY_DONE.study) {
        await gotoSlice(page, 'Axial', EMPTY_DONE.k, SLICES);
        expect(await page.getByLabel('Axial slice annotated').count()).toBe(0);
        await page.getByRole('button', { name: 'Slice done' }).click();
        await expect.poll(() => page.getByLabel('Axial slice annotated').count()).toBe(1);
      }
      await waitSaved(page);
      const annotated = slices.length + (study === EMPTY_DONE.study ? 1 : 0);
      await expect
        .poll(() => page.getByLabel('Axial slices annotated').textContent())
        .toBe(`Axial: ${annotated} / ${SLICES} slices annotated`);
    }
    // Saved with the label version, in the study's own slice order.
    await expect
      .poll(() => demo.study('case_002').labelVersions.at(-1)?.annotatedSlices?.k)
      .toEqual([EMPTY_DONE.k, ...PAINTED.case_002!].sort((a, b) => a - b));
    expect(demo.study('case_001').labelVersions.at(-1)?.annotatedSlices?.k).toEqual(
      PAINTED.case_001,
    );
    await screenshot(page, 'partial-01-annotated');
    expect(pageErrors).toEqual([]);
  });

  it('shows the annotated slices in the study list and in the training plan', async () => {
    expect(await studyRow(page, 'case_001').textContent()).toContain(`3 / ${SLICES} slices`);
    expect(await studyRow(page, 'case_002').textContent()).toContain(`4 / ${SLICES} slices`);
    await trainPanel().getByRole('combobox', { name: 'Profile' }).selectOption('tiny');
    await expect
      .poll(trainText, { timeout: 120_000 })
      .toMatch(
        '0 labeled, 2 partially labeled (7 slices), 3 unlabeled (the partial ones feed the unlabeled terms too)',
      );
    await screenshot(page, 'partial-02-plan');
    expect(pageErrors).toEqual([]);
  });

  it('trains on the partial labels, and proposals appear for the unlabeled studies', async () => {
    await trainPanel().getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(trainText, { timeout: 300_000 }).toMatch(/Finished/);
    await expect
      .poll(() => page.getByRole('cell', { name: 'Proposal to review', exact: true }).count(), {
        timeout: 120_000,
      })
      .toBe(3);
    await screenshot(page, 'partial-03-trained');
    expect(unexpectedErrors()).toEqual([]);
  });

  it('exports the partial labels with 255 off the annotated slices (nibabel)', async () => {
    const outDir = path.join(demo.root, 'exported');
    const panel = page.getByRole('region', { name: 'Export' });
    await panel.getByRole('checkbox', { name: 'Partial labels (annotated slices only)' }).check();
    expect(
      await panel
        .getByRole('spinbutton', { name: 'Ignore label for unannotated voxels' })
        .inputValue(),
    ).toBe('255');
    await panel.getByRole('textbox', { name: 'Export folder' }).fill(outDir);
    await panel.getByRole('button', { name: 'Export', exact: true }).click();
    await panel.getByText(`Wrote 2 label files to ${outDir}`).waitFor({ timeout: 60_000 });
    await screenshot(page, 'partial-04-exported');
    const perSlice = runPythonJson<Record<string, number[][]>>(
      [
        'import sys, json, nibabel as nib, numpy as np',
        'out = {}',
        'for case in sys.argv[2:]:',
        "    d = np.asarray(nib.load(f'{sys.argv[1]}/{case}.nii.gz').dataobj)",
        '    out[case] = [sorted(int(v) for v in np.unique(d[:, :, k])) for k in range(d.shape[2])]',
        'print(json.dumps(out))',
      ].join('\n'),
      [outDir, ...Object.keys(PAINTED)],
    );
    for (const [study, painted] of Object.entries(PAINTED)) {
      const done = study === EMPTY_DONE.study ? [EMPTY_DONE.k] : [];
      perSlice[study]!.forEach((values, k) => {
        if (painted.includes(k)) expect(values, `${study} k=${k}`).toEqual([0, 1]);
        else if (done.includes(k)) expect(values, `${study} k=${k}`).toEqual([0]);
        else expect(values, `${study} k=${k}`).toEqual([255]);
      });
    }
    expect(unexpectedErrors()).toEqual([]);
  });
});

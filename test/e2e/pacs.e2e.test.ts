// The PACS loop in Chromium (Node + Chromium + a real Orthanc with DICOMweb and HTTP basic),
// driven by accessible names only: register the PACS in the PACS tab (a wrong password shows
// as one line, and that source is removed again), search by modality, open a study's series,
// retrieve one, see it in the study list, paint it and mark it finished, then export it as a
// DICOM SEG with STOW-RS back to Orthanc — and check in Orthanc's own REST API and with pydicom
// that the SEG is there and its mask is the saved label voxel for voxel.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyRecord } from '../../src/shared/contract/project';
import { simcvdSync } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { orthancMissing } from '../helpers/orthanc';
import { openApp, type AppUnderTest } from './support/app';
import { checkSeg, startDemoPacs, type DemoPacs } from './support/pacs';
import { paintStroke, unnamedControls, waitSaved, waitStudyLoaded } from './support/workstation';

const missing = orthancMissing();
if (missing) console.warn(`skipping the PACS browser test: ${missing}`);

const PASSWORD = 'orthanc-e2e-5b2d';
const DIMS: [number, number, number] = [32, 32, 16];
const SHOTS = '/tmp/pacs-shots';
/** expect.poll waits 1 s by default: too short for a PACS round trip on a busy machine. */
const WAIT = { timeout: 20_000 };

let dir: string;
let pacs: DemoPacs;
let app: AppUnderTest;
let page: Page;
let project: string;
let studyId: string;

const record = (): StudyRecord =>
  JSON.parse(readFileSync(path.join(project, 'studies', studyId, 'study.json'), 'utf8'));

async function shot(name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const importPanel = () => page.getByRole('region', { name: 'Import studies' });
const pacsTab = () => page.getByRole('tabpanel', { name: 'PACS' });

describe.skipIf(!!missing)('the PACS tab in Chromium against Orthanc', () => {
  beforeAll(async () => {
    dir = await tempDir('simcvd-e2e-pacs-');
    pacs = await startDemoPacs(dir, { count: 2, dims: DIMS, users: { alice: PASSWORD } });
    project = path.join(dir, 'project');
    simcvdSync(['init', project]);
    app = await openApp(project, { viewport: { width: 1280, height: 1300 } });
    page = app.page;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await pacs?.orthanc.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds the PACS as a source, tests it, and shows a wrong password as one line', async () => {
    await importPanel().getByRole('tab', { name: 'PACS' }).click();
    const tab = pacsTab();
    // Only the chosen tab shows.
    expect(
      await importPanel().getByRole('button', { name: 'Import', exact: true }).isVisible(),
    ).toBe(false);
    const add = async (id: string, name: string, password: string) => {
      await tab.getByRole('button', { name: 'Add source' }).click();
      const form = tab.getByRole('form', { name: 'Add a DICOMweb source' });
      await form.getByRole('textbox', { name: 'Source ID' }).fill(id);
      await form.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
      await form.getByRole('textbox', { name: 'DICOMweb base URL' }).fill(pacs.orthanc.dicomweb);
      await form.getByRole('combobox', { name: 'Authentication' }).selectOption('basic');
      await form.getByRole('textbox', { name: 'User name' }).fill('alice');
      const secret = form.getByRole('textbox', { name: 'Password', exact: true });
      await secret.fill(password);
      expect(await secret.getAttribute('type')).toBe('password');
      if (id === 'orthanc') await shot('00-add-source');
      await form.getByRole('button', { name: 'Save source' }).click();
      await form.waitFor({ state: 'detached' });
    };
    await add('orthanc', 'Test PACS', PASSWORD);
    const sources = tab.getByRole('list', { name: 'DICOMweb sources' });
    expect(await sources.textContent()).toContain(
      'HTTP basic as "alice", password stored for this user',
    );
    await tab.getByRole('button', { name: 'Test Test PACS' }).click();
    await expect
      .poll(() => tab.getByRole('status', { name: 'Test of Test PACS' }).textContent(), WAIT)
      .toMatch(/^Connected: answered in \d+ ms$/);

    await add('wrong', 'Wrong password', 'not-the-password');
    await tab.getByRole('button', { name: 'Test Wrong password' }).click();
    const refused = tab.getByRole('alert', { name: 'Test of Wrong password' });
    await expect
      .poll(() => refused.textContent(), WAIT)
      .toMatch(/^PACS refused the credentials: .*401/);
    expect(await refused.textContent()).not.toContain('not-the-password');
    // Remove asks once.
    await tab.getByRole('button', { name: 'Remove Wrong password' }).click();
    await tab.getByRole('button', { name: 'Yes, remove Wrong password' }).click();
    await expect.poll(() => sources.getByRole('listitem').count(), WAIT).toBe(1);
    expect(await page.content()).not.toContain(PASSWORD);
    await shot('01-sources');
  });

  it('searches the PACS by modality and lists a study’s series', async () => {
    const tab = pacsTab();
    const search = tab.getByRole('form', { name: 'Study search' });
    await search.getByRole('combobox', { name: 'Source' }).selectOption({ label: 'Test PACS' });
    await search.getByRole('textbox', { name: 'Modality' }).fill('CT');
    await search.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => tab.getByText('No study matches these filters.').count(), WAIT).toBe(1);
    await search.getByRole('textbox', { name: 'Modality' }).fill('mr');
    await search.getByRole('button', { name: 'Search', exact: true }).click();
    const studies = tab.getByRole('table', { name: 'PACS studies' });
    await expect.poll(() => studies.getByRole('row').count(), WAIT).toBe(3); // header + 2
    await tab.getByRole('button', { name: /^Open study Müller, Anna/ }).click();
    const series = tab.getByRole('table', { name: 'Series' });
    await expect.poll(() => series.getByRole('row').count(), WAIT).toBe(2);
    expect(await series.textContent()).toContain('LGE 3D');
    expect(await series.getByRole('cell', { name: String(DIMS[2]), exact: true }).count()).toBe(1);
    await shot('02-search');
  });

  it('retrieves the series with progress and a result, then lists the new study', async () => {
    const tab = pacsTab();
    await tab.getByRole('checkbox', { name: 'Retrieve MR LGE 3D' }).check();
    await tab.getByRole('button', { name: /^Retrieve \(1\)$/ }).click();
    const result = tab.getByRole('status', { name: 'Retrieve result' });
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toBe(`Imported 1 study (${DIMS[2]} instances downloaded)`);
    const details = (await tab.getByRole('list', { name: 'Retrieve details' }).textContent())!;
    studyId = /Study (\S+)/.exec(details)![1]!;
    expect(record().source.seriesInstanceUid).toBe(pacs.series[0]!.series);
    // The study list and the series' "already imported" follow without a reload.
    await page.getByRole('button', { name: `Open ${studyId}` }).waitFor();
    await expect
      .poll(() => tab.getByRole('table', { name: 'Series' }).textContent(), WAIT)
      .toContain(`already imported as ${studyId}`);
    expect(await tab.getByRole('checkbox', { name: 'Retrieve MR LGE 3D' }).isDisabled()).toBe(true);
    await shot('03-retrieved');
    expect(await unnamedControls(page)).toEqual([]);
  });

  it('paints the study, marks it finished and sends it as a DICOM SEG back to Orthanc', async () => {
    await page.getByRole('button', { name: `Open ${studyId}` }).click();
    await waitStudyLoaded(page, studyId);
    // Paint on the slice in view (axial views are k-planes of this axis-aligned grid, so a
    // point's k does not move it on screen); the saved label is checked whole below.
    const k = DIMS[2] / 2;
    await page.getByRole('button', { name: 'Brush', exact: true }).click();
    const a = record().affine;
    const world = ([i, j]: [number, number]) =>
      [0, 1, 2].map(
        (r) => a[r * 4]! * i + a[r * 4 + 1]! * j + a[r * 4 + 2]! * k + a[r * 4 + 3]!,
      ) as [number, number, number];
    await paintStroke(page, 'axial', world([8, 10]), world([22, 16]), 6);
    await waitSaved(page);
    expect(Object.values(await page.evaluate(() => window.__simcvd!.sliceCounts(2)))).toHaveLength(
      1,
    );
    await page.getByRole('checkbox', { name: 'Annotation finished' }).check();
    await waitSaved(page);
    await expect.poll(() => record().labelVersions.at(-1)?.final, WAIT).toBe(true);

    const panel = page.getByRole('region', { name: 'Export' });
    await panel.getByRole('radio', { name: 'DICOM SEG' }).check();
    await panel.getByRole('radio', { name: /PACS \(STOW-RS\)/ }).check();
    const targets = panel.getByRole('list', { name: 'DICOM SEG per study' });
    await expect.poll(() => targets.textContent(), WAIT).toBe(`${studyId}: to orthanc`);
    await panel.getByRole('button', { name: 'Send DICOM SEG to PACS' }).click();
    const done = panel.getByRole('status', { name: 'SEG export result' });
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toBe('Sent 1 DICOM SEG');
    expect(await panel.getByRole('list', { name: 'Exported SEGs' }).textContent()).toMatch(
      new RegExp(`^${studyId} \\(v\\d+\\): 1 segment, \\d+ frames?, stored on Test PACS`),
    );
    await shot('04-seg-sent');

    const stored = await pacs.orthanc.find({ Modality: 'SEG' });
    expect(stored).toHaveLength(1);
    const segFile = path.join(dir, 'stored.seg.dcm');
    writeFileSync(segFile, await pacs.orthanc.file(stored[0]!));
    const current = record();
    const label = current.labelVersions.find((v) => v.id === current.currentLabel)!;
    const check = checkSeg(
      segFile,
      pacs.series[0]!,
      path.join(project, 'studies', studyId, label.file),
      {
        target: 1,
      },
    );
    expect(check.modality).toBe('SEG');
    expect(check.studyInstanceUid).toBe(pacs.series[0]!.study);
    expect(check.referencedSeries).toEqual([pacs.series[0]!.series]);
    expect(check.segments.map((s) => [s.label, s.algorithmType])).toEqual([['target', 'MANUAL']]);
    expect(check.positionsMatchSource).toBe(true);
    expect(check.labelVoxels).toBeGreaterThan(20);
    expect(check.mismatchedVoxels).toBe(0);
  });

  it('logged no page error beyond the refused test request', () => {
    // The wrong password's test answers 502 (the PACS refused), which Chromium logs.
    expect(
      app.errors.filter(
        (e) => !/status of 502/.test(e) && !/^response 502: .*\/api\/pacs\.testSource$/.test(e),
      ),
    ).toEqual([]);
  });
});

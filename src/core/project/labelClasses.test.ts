// Editing the label set: a class still painted in a study's current label cannot be removed
// (its voxels would keep a value no class names); unused classes come and go freely.
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  REVIEW_DIMS,
  createReviewProject,
  type ReviewFixture,
} from '../../../test/helpers/reviewProject';
import { AppError } from '../errors';

let fx: ReviewFixture;

beforeEach(async () => {
  fx = await createReviewProject(2);
});
afterEach(async () => {
  await fx.close();
  await fs.rm(fx.dir, { recursive: true, force: true });
});

const scar = { value: 2, name: 'Scar', color: '#40a0e0' };

it('refuses to remove a class painted in a current label, and removes it once erased', async () => {
  const [atrium] = fx.store.manifest.labels;
  await fx.store.setLabelClasses([atrium!, scar]);
  const study = await fx.store.getStudy('s2');
  const data = new Uint8Array(REVIEW_DIMS[0] * REVIEW_DIMS[1] * REVIEW_DIMS[2]);
  data[3] = 2;
  const mask = { dims: REVIEW_DIMS, affine: study.affine, data };
  await fx.store.saveLabel('s2', mask, { provenance: { kind: 'human' }, final: false });

  const refused = fx.store.setLabelClasses([atrium!]);
  await expect(refused).rejects.toBeInstanceOf(AppError);
  await expect(refused).rejects.toMatchObject({ code: 'CONFLICT' });
  await expect(refused).rejects.toThrow(/s2 \(Scar\)/);
  expect(fx.store.manifest.labels.map((l) => l.value)).toEqual([1, 2]);
  // The atrium class is painted in s1: refused too, whatever else changes.
  await expect(fx.store.setLabelClasses([scar])).rejects.toThrow(/s1 \(/);

  data[3] = 0;
  await fx.store.saveLabel('s2', mask, { provenance: { kind: 'human' }, final: false });
  expect((await fx.store.setLabelClasses([atrium!])).labels).toEqual([atrium]);
});

it('renames and recolours a class in use', async () => {
  const [atrium] = fx.store.manifest.labels;
  const renamed = { ...atrium!, name: 'Left atrium', color: '#ff0000' };
  expect((await fx.store.setLabelClasses([renamed])).labels).toEqual([renamed]);
});

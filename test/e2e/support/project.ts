// Demo projects for the browser tests (Node): a small synthetic dataset imported through the
// CLI, as a user would, into a fresh temporary folder.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StudyRecord } from '../../../src/shared/contract/project';
import { simcvdSync } from '../../helpers/cli';

export type Vec3 = [number, number, number];

export interface DemoProject {
  root: string;
  project: string;
  study(id: string): StudyRecord;
  labelFile(id: string, versionId?: string): string;
  /** RAS+ millimetres of a study's voxel (i, j, k), through its record's affine. */
  worldOf(id: string, voxel: Vec3): Vec3;
}

export function createDemoProject(options: { studies: number; labeled: number }): DemoProject {
  const root = mkdtempSync(path.join(os.tmpdir(), 'simcvd-e2e-'));
  const data = path.join(root, 'data');
  const project = path.join(root, 'project');
  simcvdSync(['demo', data, '--studies', String(options.studies), '--test', '0']);
  simcvdSync(['init', project]);
  simcvdSync(['import', project, data, '--labeled', String(options.labeled)]);
  const study = (id: string) =>
    JSON.parse(
      readFileSync(path.join(project, 'studies', id, 'study.json'), 'utf8'),
    ) as StudyRecord;
  return {
    root,
    project,
    study,
    labelFile(id, versionId) {
      const record = study(id);
      const wanted = versionId ?? record.currentLabel;
      const version = record.labelVersions.find((v) => v.id === wanted);
      if (!version) throw new Error(`Study ${id} has no label version ${wanted}`);
      return path.join(project, 'studies', id, version.file);
    },
    worldOf(id, [i, j, k]) {
      const a = study(id).affine;
      return [0, 1, 2].map(
        (r) => a[r * 4]! * i + a[r * 4 + 1]! * j + a[r * 4 + 2]! * k + a[r * 4 + 3]!,
      ) as Vec3;
    },
  };
}

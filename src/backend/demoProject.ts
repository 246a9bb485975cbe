// The first-run demo project (plain Node): the synthetic dataset generated under
// <dir>/dataset and a project made from it under <dir>/project, a few studies imported with
// their labels. A demo that fails half-way is removed, so the next try starts clean.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeDemoDataset } from '../core/demo';
import { pathExists } from '../core/fs/exists';
import { createProject, importStudies, ProjectStore } from '../core/project';
import type { EmitEvent } from '../shared/contract/events';

/** Demo size (tests use a small one). */
export interface DemoSize {
  studies?: number;
  test?: number;
  labeled?: number;
  dims?: [number, number, number];
}

const DEMO_LABELED = 2;
const PURPOSE = 'SimCVD workstation';

/** The folder of the demo's project inside the demo folder. */
export const demoProjectDir = (root: string): string => path.join(root, 'project');

/**
 * Writes the dataset (unless it is there already) and a new project importing it, open for
 * writing; `emit` reports the progress as import progress.
 */
export async function buildDemoProject(
  root: string,
  demo: DemoSize,
  emit: EmitEvent | undefined,
): Promise<ProjectStore> {
  const projectDir = demoProjectDir(root);
  const datasetDir = path.join(root, 'dataset');
  const progress = (item: string) => (done: number, total: number) =>
    emit?.('importProgressed', { done, total, item });
  if (!(await pathExists(path.join(datasetDir, 'dataset.json')))) {
    await writeDemoDataset(
      datasetDir,
      { studies: demo.studies, test: demo.test, dims: demo.dims },
      progress('generating the demo studies'),
    );
  }
  await createProject(projectDir, { name: 'Demo (left atrium, synthetic)' });
  const store = await ProjectStore.open(projectDir, { write: true, purpose: PURPOSE });
  try {
    await importStudies(store, [datasetDir], {
      labeled: demo.labeled ?? DEMO_LABELED,
      onProgress: (p) => emit?.('importProgressed', p),
    });
  } catch (error) {
    // A half-imported demo would be reopened as is next time: remove what this call made.
    await store.close();
    await fs.rm(projectDir, { recursive: true, force: true });
    throw error;
  }
  return store;
}

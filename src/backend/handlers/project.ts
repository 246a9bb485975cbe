// project.* handlers (plain Node): the project's name, label set and study summaries, with the
// study folders whose record cannot be read.
import { summarizeStudies } from '../../core/project';
import { projectParamSchemas, type ProjectApiResults } from '../../shared/contract/project';
import type { ProjectContext } from '../context';
import type { NamespaceHandlers } from './types';

export function createProjectNamespace(
  ctx: ProjectContext,
): NamespaceHandlers<typeof projectParamSchemas, ProjectApiResults> {
  const { store } = ctx;
  return {
    'project.info': async () => ({
      name: store.manifest.name,
      root: store.root,
      labels: store.manifest.labels,
      studies: await summarizeStudies(store),
      problems: (await store.scanStudies()).problems,
    }),
    'project.setLabelClasses': async ({ labels }) => ({
      labels: (await store.setLabelClasses(labels)).labels,
    }),
  };
}

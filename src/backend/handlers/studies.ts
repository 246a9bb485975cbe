// studies.* handlers (plain Node): importing studies (with progress events), repairing or
// setting aside an unreadable one, and the ranking behind "Next study".
import { rankProject } from '../../core/active/candidates';
import { pickNext } from '../../core/active/next';
import { activeModelId, importStudies, removeStudy, repairStudy } from '../../core/project';
import { summarizeStudy } from '../../shared/contract/project';
import { studiesParamSchemas, type StudiesApiResults } from '../../shared/contract/studies';
import type { ProjectContext } from '../context';
import type { NamespaceHandlers } from './types';

export function createStudiesNamespace(
  ctx: ProjectContext,
): NamespaceHandlers<typeof studiesParamSchemas, StudiesApiResults> {
  const { store } = ctx;
  return {
    'studies.import': async ({ paths, labeled, replaceNonFinite, repairGeometry, volumeIndex }) => {
      const imported = await importStudies(store, paths, {
        labeled,
        nonFinite: replaceNonFinite ? 'zero' : 'reject',
        geometry: repairGeometry ? 'repair' : 'reject',
        volumeIndex,
        onProgress: ctx.emit && ((progress) => ctx.emit!('importProgressed', progress)),
      });
      return {
        imported: imported.map(({ id, labeled: l, warnings }) => ({ id, labeled: l, warnings })),
        skipped: imported.skipped,
        warnings: imported.warnings,
      };
    },
    'studies.repair': async ({ studyId }) => {
      const { record, changes } = await repairStudy(store, studyId);
      return { study: summarizeStudy(record), changes };
    },
    'studies.remove': async ({ studyId }) => removeStudy(store, studyId),
    'studies.rank': async ({ strategy = 'uncertainty', seed = 1 }) => {
      const active = await activeModelId(store);
      if (!active) return { modelId: null, strategy, studies: [] };
      const { modelId, ranked } = await rankProject(store, { modelId: active, strategy, seed });
      return { modelId, strategy, studies: ranked };
    },

    'studies.next': async ({ current = null, skipped = [], strategy = 'uncertainty' }) => {
      const active = await activeModelId(store);
      if (!active) return { modelId: null, next: null, waiting: 0 };
      const { ranked } = await rankProject(store, { modelId: active, strategy });
      return {
        modelId: active,
        next: pickNext(ranked, current, skipped),
        waiting: ranked.filter((r) => r.studyId !== current).length,
      };
    },
  };
}

// models.* handlers (plain Node): the model versions with their proposal counts, choosing the
// active one (the roll back), and a model's loss curves.
import {
  activeModelId,
  listModels,
  listProposals,
  readModelHistory,
  setActiveModel,
} from '../../core/project';
import { modelsParamSchemas, type ModelsApiResults } from '../../shared/contract/models';
import type { ProjectContext } from '../context';
import type { NamespaceHandlers } from './types';

export function createModelsNamespace(
  ctx: ProjectContext,
): NamespaceHandlers<typeof modelsParamSchemas, ModelsApiResults> {
  const { store } = ctx;
  return {
    'models.list': async () => {
      const active = await activeModelId(store);
      const models = [];
      for (const record of await listModels(store)) {
        const proposals = (await listProposals(store, record.id)).length;
        models.push({ ...record, active: record.id === active, proposals });
      }
      return { models, activeModelId: active };
    },

    'models.setActive': async ({ modelId }) => {
      const activeModelId = await setActiveModel(store, modelId);
      ctx.emit?.('reviewChanged', { modelId: activeModelId });
      return { activeModelId };
    },

    'models.history': async ({ modelId }) => readModelHistory(store, modelId),
  };
}

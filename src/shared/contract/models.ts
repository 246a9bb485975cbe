// API contract, models namespace (shared): what a trained model version records about itself —
// the config it was trained with, exactly which studies and label versions it saw, its parent,
// its metrics — and listing them, choosing the active one (rolling back), and their curves.
import { z } from 'zod';
import { modelIdSchema as modelId } from './ids';
import { annotatedSlicesSchema } from './project';

export const modelRecordSchema = z.object({
  /** "m0001", "m0002", … in order of creation. */
  id: z.string(),
  createdAt: z.string(),
  profile: z.string(),
  supervisedOnly: z.boolean(),
  /** The model version this one continued from (null: trained from scratch; absent: older). */
  parent: z.string().nullable().optional(),
  backend: z.object({ name: z.string(), reason: z.string() }),
  /** The full training configuration (engine TrainingConfig), as JSON. */
  config: z.record(z.string(), z.unknown()),
  /** With `annotatedSlices`: a partial label, trained on those slices only. */
  labeled: z.array(
    z.object({
      studyId: z.string(),
      labelVersion: z.string(),
      annotatedSlices: annotatedSlicesSchema.optional(),
    }),
  ),
  unlabeled: z.array(z.string()),
  validation: z.array(z.object({ studyId: z.string(), labelVersion: z.string() })),
  iterations: z.number().int(),
  durationMs: z.number(),
  metrics: z.object({
    validationDice: z.number().nullable(),
    finalLosses: z.record(z.string(), z.number()).nullable(),
  }),
  /** File in the model folder with per-iteration loss curves and validation points. */
  historyFile: z.string(),
});
export type ModelRecord = z.infer<typeof modelRecordSchema>;

export interface ModelListEntry extends ModelRecord {
  active: boolean;
  proposals: number;
}

export const modelsParamSchemas = {
  /** Every model version, newest last, with which one is active. */
  'models.list': z.object({}),
  /** Make a model version the active one (proposals, ranking and "next study" use it). */
  'models.setActive': z.object({ modelId }),
  /** Loss rows (training LOSS_COLUMNS) and validation points recorded while it trained. */
  'models.history': z.object({ modelId }),
} as const;

export interface ModelsApiResults {
  'models.list': { models: ModelListEntry[]; activeModelId: string | null };
  'models.setActive': { activeModelId: string };
  'models.history': { losses: number[][]; validation: { iteration: number; dice: number }[] };
}

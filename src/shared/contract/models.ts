// API contract, model versions (shared): what a trained model records about itself — the
// config it was trained with, exactly which studies and label versions it saw, and its metrics.
import { z } from 'zod';

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
  labeled: z.array(z.object({ studyId: z.string(), labelVersion: z.string() })),
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

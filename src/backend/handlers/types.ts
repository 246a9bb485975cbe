// The handler shape of one contract namespace (plain Node): each method takes its validated
// params (zod output) and resolves to its result type.
import type { z } from 'zod';

export type NamespaceHandlers<
  Schemas extends Record<string, z.ZodType>,
  Results extends { [M in keyof Schemas]: unknown },
> = { [M in keyof Schemas]: (params: z.output<Schemas[M]>) => Promise<Results[M]> };

// Identifiers in API params (shared): one schema each, used by every namespace that takes them.
import { z } from 'zod';

export const studyIdSchema = z.string().min(1).max(128);
export const modelIdSchema = z.string().regex(/^m\d{4,}$/, 'a model ID such as "m0001"');
export const versionIdSchema = z.string().min(1);

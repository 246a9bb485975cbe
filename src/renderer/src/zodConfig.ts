// Zod setup for the renderer (imported first by main.tsx): no code generation. Zod would
// otherwise probe `new Function` when the contract's schemas are built — refused by the app's
// Content-Security-Policy (no 'unsafe-eval'), which reports a violation on every start.
import { z } from 'zod';

z.config({ jitless: true });

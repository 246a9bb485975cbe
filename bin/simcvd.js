#!/usr/bin/env node
// Entry of the `simcvd` command (Node): runs the TypeScript CLI through tsx, so `npx simcvd`
// works straight after `npm ci` without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

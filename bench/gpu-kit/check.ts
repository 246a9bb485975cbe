// GPU kit entry: the WebGPU correctness checks (./checks.ts) on the machine's best adapter,
// hardware or not, one line each and the closing "N passed, N failed" line. Exit 1 on any failure.
import { initBackend } from '../../src/engine/backend';
import { CheckFailed, GPU_CHECKS } from './checks';
import { moduleLoader } from './loader';

const info = await initBackend('webgpu', { importModule: moduleLoader });
console.log(`backend: ${info.reason}`);
let passed = 0;
let failed = 0;
for (const check of GPU_CHECKS) {
  const t0 = performance.now();
  try {
    await check.run();
    passed++;
    console.log(`ok    ${check.name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    const why = error instanceof CheckFailed ? error.message : (error as Error).stack;
    console.log(`FAIL  ${check.name}: ${why}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

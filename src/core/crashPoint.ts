// Crash-test hooks (plain Node): the steps of a multi-file commit (import, lock creation) call
// `crashPoint(step)`. When SIMCVD_TEST_PAUSE names the step, the process says so on stderr and
// waits there forever, so a test can SIGKILL it at exactly that boundary; SIMCVD_TEST_DELAY
// ("step:ms,step:ms") only holds it at those steps a while, to force a race. Otherwise a no-op.

export const CRASH_POINT_ENV = 'SIMCVD_TEST_PAUSE';
export const DELAY_POINT_ENV = 'SIMCVD_TEST_DELAY';

export async function crashPoint(step: string): Promise<void> {
  for (const entry of (process.env[DELAY_POINT_ENV] ?? '').split(',')) {
    const delay = /^([\w-]+):(\d+)$/.exec(entry.trim());
    if (delay?.[1] === step) await new Promise((resolve) => setTimeout(resolve, Number(delay[2])));
  }
  if (process.env[CRASH_POINT_ENV] !== step) return;
  process.stderr.write(`simcvd-test: paused at ${step}\n`);
  // A pending timer keeps the event loop (and so the process) alive until it is killed.
  await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}

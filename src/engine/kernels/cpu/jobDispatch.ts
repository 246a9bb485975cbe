// The compute pool's job dispatch (engine process, main thread): posting a job to the workers
// or running it on the caller alone, waiting until every item is counted done, running it
// again on the caller when a worker failed or stalled (settle), and backing off from the
// workers on a busy machine (adaptToLoad). The workers' lifecycle is in workers.ts.
import { computeShared } from './arena';
import { pool, reportOnce, SPIN_MICROSECONDS, type Shared } from './poolState';
import {
  DONE_WORD,
  JOB_TAGS,
  jobItems,
  jobMultiplyAdds,
  rewindJob,
  writeJob,
  type PoolJob,
} from './tasks';
import { checkWorkerError, startWorkers, stopAndDrain } from './workers';
import { CONTROL, CONTROL_WORDS } from './workerSource';

const JOB_AT = CONTROL_WORDS * 4;
/** Below this many multiply-adds (~10 µs) a job runs on the caller alone. */
const SOLO_MULTIPLY_ADDS = 100_000;
let soloMultiplyAdds = SOLO_MULTIPLY_ADDS;
/** A helper that has not finished this long after the caller's share is presumed lost. */
const STALL_TIMEOUT_MS = 30_000;
let jobTag = 0;
/** Jobs to run on the caller alone before the workers are tried again (adaptToLoad). */
let soloJobsLeft = 0;
let soloBackoff = 0;
const MAX_SOLO_JOBS = 256;

export interface ComputePoolStats {
  jobs: number;
  /** Jobs that woke the workers. */
  pooledJobs: number;
  /** Time in the caller's own share, and waiting for helpers after it, ms. */
  ownMs: number;
  waitMs: number;
  /** Times the workers were left out for a while because they were slow (a busy machine). */
  backoffs: number;
}

export const computePoolStats: ComputePoolStats = {
  ...{ jobs: 0, pooledJobs: 0, ownMs: 0, waitMs: 0, backoffs: 0 },
};

/** Forgets the back-off (a new thread count gets a fresh start). */
export function resetLoadBackoff(): void {
  soloJobsLeft = 0;
  soloBackoff = 0;
}

/** Tests on tiny shapes: wake the workers for every job of ≥ 2 items (true) or not (false). */
export function poolEveryJobForTesting(every: boolean): void {
  soloMultiplyAdds = every ? 0 : SOLO_MULTIPLY_ADDS;
}

/** Helpers for the next job: 0 when running in place. */
function helpersFor(s: Shared, job: PoolJob): number {
  if (pool.requestedThreads === 1 || pool.brokenReason !== undefined) return 0;
  if (jobMultiplyAdds(job) < soloMultiplyAdds || jobItems(job) < 2) return 0;
  if (soloJobsLeft > 0 && soloMultiplyAdds > 0) {
    soloJobsLeft--;
    return 0;
  }
  if (pool.workers.length === 0 && !startWorkers(s)) return 0;
  return pool.workers.length;
}

/**
 * Back-off on a busy machine: when the workers took few of a job's items (they woke late) or
 * the caller waited for them longer than it worked (one was preempted mid-item), the next jobs
 * run on the caller alone, for twice as many jobs each time it happens again; a job the workers
 * helped with halves the back-off. Results do not depend on it (tasks.ts).
 */
function adaptToLoad(ownShare: number, ownMs: number, waitMs: number): void {
  const helperShare = 1 - ownShare;
  const expected = 1 - 1 / (pool.workers.length + 1);
  if (helperShare < expected / 4 || waitMs > ownMs + 0.05) {
    soloBackoff = Math.min(MAX_SOLO_JOBS, Math.max(4, 2 * soloBackoff));
    soloJobsLeft = soloBackoff;
    computePoolStats.backoffs++;
  } else {
    soloBackoff = Math.floor(soloBackoff / 2);
  }
}

/** Waits until every item of the job at JOB_AT is done (true), or a worker reported an error
 *  (true: the caller checks), or nothing finished for the stall timeout (false). */
function waitForItems(s: Shared, items: number, ownMs: number): boolean {
  const record = new Int32Array(s.memory.buffer, JOB_AT, DONE_WORD + 1);
  const failed = () => Atomics.load(s.control, CONTROL.error) !== 0;
  const spinUntil = performance.now() + SPIN_MICROSECONDS / 1000;
  while (Atomics.load(record, DONE_WORD) < items && !failed() && performance.now() < spinUntil);
  let deadline = performance.now() + STALL_TIMEOUT_MS + 100 * ownMs;
  let last = -1;
  for (;;) {
    const done = Atomics.load(record, DONE_WORD);
    if (done >= items || failed()) return true;
    const now = performance.now();
    if (done !== last) deadline = Math.max(deadline, now + STALL_TIMEOUT_MS);
    else if (now > deadline) return false;
    last = done;
    Atomics.wait(record, DONE_WORD, done, 1000);
  }
}

/** Runs `job` to completion on the pool (or in place); synchronous. */
export function runJob(job: PoolJob): void {
  const s = computeShared();
  if (!s) throw new Error('The compute pool is unavailable; check computeShared() first.');
  if (pool.busy) throw new Error('The compute pool is not re-entrant.');
  pool.busy = true;
  try {
    checkWorkerError(s);
    jobTag = (jobTag + 1) % JOB_TAGS;
    writeJob(s.memory, JOB_AT, job, jobTag);
    const helpers = helpersFor(s, job);
    computePoolStats.jobs++;
    const t0 = performance.now();
    if (helpers === 0) {
      s.kernels.runJob(JOB_AT);
      computePoolStats.ownMs += performance.now() - t0;
      // A worker that woke late for an earlier job may have claimed items of this one (same
      // record, valid tag): its C rows are ours only once it has counted them done.
      if (pool.workers.length > 0) settle(s, waitForItems(s, jobItems(job), 0));
      return;
    }
    computePoolStats.pooledJobs++;
    const { control } = s;
    Atomics.store(control, CONTROL.error, 0);
    Atomics.store(control, CONTROL.job, JOB_AT);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    let ownItems: number;
    try {
      ownItems = s.kernels.runJob(JOB_AT);
    } catch (error) {
      // A fault in our own share: the workers may still be on other items of this job.
      stopAndDrain(s);
      throw error;
    }
    const t1 = performance.now();
    const items = jobItems(job);
    const finished = waitForItems(s, items, t1 - t0);
    const t2 = performance.now();
    computePoolStats.ownMs += t1 - t0;
    computePoolStats.waitMs += t2 - t1;
    adaptToLoad(ownItems / items, t1 - t0, t2 - t1);
    settle(s, finished);
  } finally {
    pool.busy = false;
  }
}

/** After the items are counted done (finished) or the wait gave up: when a worker failed or
 *  stalled, runs the whole job again on the caller. Every item rewrites its C rows, so that is
 *  safe once no worker is on it any more. */
function settle(s: Shared, finished: boolean): void {
  const failedHelper = Atomics.load(s.control, CONTROL.error);
  if (finished && failedHelper === 0) return;
  stopAndDrain(s);
  reportOnce(
    finished ? `worker ${failedHelper} failed during a job` : 'a worker stopped responding',
  );
  rewindJob(s.memory, JOB_AT);
  s.kernels.runJob(JOB_AT);
}

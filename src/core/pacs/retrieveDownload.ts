// Downloading a retrieve's instances (plain Node): every instance not already verified in its
// series' download folder is fetched with WADO-RS by a few workers sharing one queue, checked to
// be the instance asked for, and written atomically; the first failure or a cancel stops them
// all, and what was downloaded stays for the same retrieve to resume.
import path from 'node:path';
import type { PacsSeries } from '../../shared/contract/pacs';
import { crashPoint } from '../crashPoint';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import type { DicomwebClient } from './client';
import {
  hasVerifiedInstance,
  instanceFile,
  instanceProblem,
  type DownloadFolder,
} from './downloads';
import type { PacsInstance } from './qido';
import type { RetrieveOptions, RetrieveProgress } from './retrieve';

export const DEFAULT_PARALLEL = 4;

/** A series to retrieve: what QIDO-RS said of it, its instances and its download folder. */
export interface PlannedSeries {
  series: PacsSeries;
  instances: PacsInstance[];
  download: DownloadFolder;
}

/** Reports progress; `resumed` and `bytes` default to 0. */
export type ReportProgress = (
  p: Omit<RetrieveProgress, 'resumed' | 'bytes'>,
  resumed?: number,
  bytes?: number,
) => void;

interface Job {
  planned: PlannedSeries;
  instance: PacsInstance;
}

/** Fetches every instance not already in its download folder; resolves with the counts. */
export async function downloadInstances(
  planned: PlannedSeries[],
  client: DicomwebClient,
  options: RetrieveOptions,
  report: ReportProgress,
): Promise<{ downloaded: number; resumed: number }> {
  const total = planned.reduce((n, p) => n + p.instances.length, 0);
  const queue: Job[] = [];
  let resumed = 0;
  for (const p of planned)
    for (const instance of p.instances) {
      const file = instanceFile(p.download.dir, instance.sopInstanceUid);
      const expected = {
        sopInstanceUid: instance.sopInstanceUid,
        seriesInstanceUid: p.series.seriesInstanceUid,
      };
      if (await hasVerifiedInstance(file, expected)) resumed++;
      else queue.push({ planned: p, instance });
    }
  let done = resumed;
  let bytes = 0;
  report({ phase: 'downloading', done, total, item: '' }, resumed, bytes);

  // Workers share one queue; the first failure stops the others (and a cancel stops all).
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let failure: unknown;
  const worker = async () => {
    for (let job = queue.shift(); job && !signal.aborted; job = queue.shift()) {
      const { planned: p, instance } = job;
      const uids = {
        studyInstanceUid: p.series.studyInstanceUid,
        seriesInstanceUid: p.series.seriesInstanceUid,
        sopInstanceUid: instance.sopInstanceUid,
      };
      const bytesOf = await client.retrieveInstance(uids, signal);
      const problem = instanceProblem(bytesOf, uids);
      if (problem)
        throw new AppError(
          'REMOTE_FAILED',
          `${client.server.label} answered the request for instance ${uids.sopInstanceUid} with something else: ${problem}.`,
        );
      await writeFileAtomic(instanceFile(p.download.dir, uids.sopInstanceUid), bytesOf);
      done++;
      bytes += bytesOf.byteLength;
      report({ phase: 'downloading', done, total, item: uids.sopInstanceUid }, resumed, bytes);
      await crashPoint(`retrieve-saved-${done - resumed}`);
    }
  };
  const parallel = Math.max(1, Math.min(options.parallel ?? DEFAULT_PARALLEL, 16));
  await Promise.all(
    Array.from({ length: Math.min(parallel, Math.max(queue.length, 1)) }, () =>
      worker().catch((error: unknown) => {
        failure ??= error;
        stop.abort();
      }),
    ),
  );
  if (options.signal?.aborted)
    throw new AppError(
      'CANCELLED',
      `Retrieve cancelled after ${done} of ${total} instances; they are kept in ${path.dirname(planned[0]!.download.dir)} and the same retrieve resumes from there.`,
    );
  if (failure) throw keptNote(failure, done, total);
  return { downloaded: done - resumed, resumed };
}

function keptNote(error: unknown, done: number, total: number): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(
    error.code,
    `${error.message} ${done} of ${total} instances are downloaded and kept; retrieving the same series again resumes.`,
    { cause: error },
  );
}

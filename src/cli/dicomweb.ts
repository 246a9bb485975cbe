// DICOMweb from the command line (Node): which per-user folder holds the registered sources,
// resolving the server a command names, Ctrl-C as a cancel, and `import --dicomweb` — the
// retrieve with its progress on stderr and what it did on stdout.
import { defaultConfigDir } from '../backend/configDir';
import { AppError } from '../core/errors';
import { DicomwebClient } from '../core/pacs/client';
import { retrieveSeries, type RetrieveProgress } from '../core/pacs/retrieve';
import { resolveServer } from '../core/pacs/sources';
import { createProgress } from './output';
import { withProject } from './withProject';

/** The per-user folder of the sources file: --config-dir, SIMCVD_CONFIG_DIR, or the default. */
export function configDirFrom(flag: string | undefined): string {
  return flag ?? process.env.SIMCVD_CONFIG_DIR ?? defaultConfigDir();
}

export async function clientFor(server: string, configDir?: string): Promise<DicomwebClient> {
  return new DicomwebClient(await resolveServer(configDirFrom(configDir), server));
}

/** Runs `work` with a signal the first Ctrl-C aborts (a second one exits at once). */
export async function withCancel<T>(
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    process.stderr.write(`\ncancelling the ${what} (Ctrl-C again to quit at once)…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export interface DicomwebImportFlags {
  dicomweb?: string;
  series?: string[];
  study?: string;
  parallel?: number;
  configDir?: string;
  replaceNonFinite?: boolean;
  repairGeometry?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `simcvd import P --dicomweb SERVER --series UID…`. */
export async function importFromDicomweb(
  dir: string,
  paths: string[],
  flags: DicomwebImportFlags,
): Promise<void> {
  if (!flags.dicomweb || !flags.series?.length)
    throw new AppError(
      'BAD_INPUT',
      'Give --dicomweb SERVER (a source ID or URL) and --series UID….',
    );
  if (paths.length > 0)
    throw new AppError(
      'BAD_INPUT',
      `Import files (${paths.join(', ')}) and a DICOMweb retrieve separately.`,
    );
  const client = await clientFor(flags.dicomweb, flags.configDir);
  const progress = createProgress('retrieve');
  let announced = '';
  const onProgress = (p: RetrieveProgress) => {
    if (p.phase === 'downloading') {
      if (announced !== 'downloading' && p.resumed > 0)
        process.stderr.write(
          `resuming: ${p.resumed} of ${p.total} instances were already downloaded\n`,
        );
      announced = 'downloading';
      progress(p.done, p.total, p.item ? `${(p.bytes / 1048576).toFixed(1)} MiB` : '');
    } else if (p.phase !== announced) {
      announced = p.phase;
      process.stderr.write(
        p.phase === 'listing'
          ? `looking up ${plural(p.total, 'series', 'series')} on ${client.server.label}\n`
          : 'importing the downloaded series…\n',
      );
    }
  };
  const result = await withProject(dir, true, 'simcvd import --dicomweb', (store) =>
    withCancel('retrieve', (signal) =>
      retrieveSeries(
        store,
        client,
        flags.series!.map((uid) => ({
          seriesInstanceUid: uid,
          ...(flags.study ? { studyInstanceUid: flags.study } : {}),
        })),
        {
          parallel: flags.parallel,
          nonFinite: flags.replaceNonFinite ? 'zero' : 'reject',
          geometry: flags.repairGeometry ? 'repair' : 'reject',
          onProgress,
          signal,
        },
      ),
    ),
  );
  for (const s of result.imported)
    process.stdout.write(`imported study ${s.id} (series ${s.seriesInstanceUid})\n`);
  for (const s of result.segmentations)
    process.stdout.write(
      `study ${s.studyId}: DICOM SEG ${s.sopInstanceUid} saved as label version ${s.versionId}\n`,
    );
  process.stdout.write(
    `retrieved ${plural(result.downloaded + result.resumed, 'instance')} from ${client.server.label}` +
      `${result.resumed ? ` (${result.resumed} from an earlier, interrupted retrieve)` : ''}\n`,
  );
  for (const s of result.imported)
    for (const w of s.warnings) process.stderr.write(`warning: ${s.id}: ${w}\n`);
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const s of result.skipped) process.stderr.write(`skipped ${s.source}: ${s.reason}\n`);
}

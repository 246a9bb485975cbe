// DICOM SEG on the command line (Node): `export --format seg` (a folder, and/or STOW-RS to each
// study's own DICOMweb source or one server) with progress and a summary, and attaching SEG
// files as label versions for `label` and `import`.
import path from 'node:path';
import { AppError } from '../core/errors';
import { DicomwebClient } from '../core/pacs/client';
import { resolveOrigin, resolveServer } from '../core/pacs/sources';
import type { ExportInclude } from '../core/project';
import type { ProjectStore } from '../core/project';
import { exportSegmentations, type StowDestination } from '../core/seg/exportSeg';
import { importSegFile, type SegImport } from '../core/seg/importSeg';
import { configDirFrom, withCancel } from './dicomweb';
import { createProgress, printTable } from './output';
import { withProject } from './withProject';

export interface SegExportFlags {
  stow?: boolean;
  stowTo?: string;
  configDir?: string;
  studies?: string[];
  include?: ExportInclude;
}

/** Where each study's SEG goes: its own DICOMweb source, or one server for all. */
function destination(flags: SegExportFlags): StowDestination | undefined {
  const configDir = configDirFrom(flags.configDir);
  if (flags.stowTo) {
    const server = resolveServer(configDir, flags.stowTo);
    return async () => new DicomwebClient(await server);
  }
  if (!flags.stow) return undefined;
  return async (study) => {
    const origin = study.source.dicomweb;
    if (!origin)
      return {
        skip: 'it was not retrieved from a DICOMweb server (a local DICOM folder); use --stow-to SERVER',
      };
    return new DicomwebClient(await resolveOrigin(configDir, origin));
  };
}

export async function exportSegs(
  dir: string,
  outDir: string | undefined,
  flags: SegExportFlags,
): Promise<void> {
  if (!outDir && !flags.stow && !flags.stowTo)
    throw new AppError(
      'BAD_INPUT',
      'Give an output folder, or --stow / --stow-to SERVER to send the SEGs.',
    );
  const progress = createProgress('export seg');
  const result = await withProject(dir, false, 'simcvd export --format seg', (store) =>
    withCancel('export', (signal) =>
      exportSegmentations(store, {
        studies: flags.studies,
        include: flags.include,
        outDir,
        stow: destination(flags),
        onProgress: (p) => progress(p.done, p.total, p.item),
        signal,
      }),
    ),
  );
  printTable(
    ['study', 'version', 'segments', 'frames', 'stored as'],
    result.exported.map((e) => [
      e.studyId,
      e.labelVersion,
      String(e.segments),
      String(e.frames),
      [e.path ? path.basename(e.path) : '', e.server ? `STOW ${e.server}` : '']
        .filter(Boolean)
        .join(', '),
    ]),
  );
  for (const s of result.skipped) process.stdout.write(`skipped ${s.studyId}: ${s.reason}\n`);
  const stored = result.exported.filter((e) => e.server).length;
  process.stdout.write(
    `exported ${result.exported.length} DICOM SEG${result.exported.length === 1 ? '' : 's'}` +
      (outDir ? ` to ${path.resolve(outDir)}` : '') +
      (stored ? `${outDir ? ',' : ''} ${stored} stored with STOW-RS` : '') +
      '\n',
  );
}

export function printSegImport(attached: SegImport): void {
  process.stdout.write(
    `study ${attached.studyId}: saved label version ${attached.version.id} from DICOM SEG ` +
      `(${attached.segments.map((s) => `${s.label} → ${s.value}`).join(', ')})\n`,
  );
  for (const w of attached.warnings) process.stderr.write(`warning: ${w}\n`);
}

/** Attaches SEG files to their studies (or the named one), one label version each. */
export async function attachSegs(
  store: ProjectStore,
  files: string[],
  options: { studyId?: string; draft?: boolean } = {},
): Promise<SegImport[]> {
  const attached: SegImport[] = [];
  for (const file of files) attached.push(await importSegFile(store, file, options));
  return attached;
}

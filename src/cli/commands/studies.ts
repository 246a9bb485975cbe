// `simcvd import|label|repair|remove`: adding studies and labels, and fixing or setting aside a
// study whose record cannot be read (Node CLI adapter over src/core/project).
import { InvalidArgumentError, type Command } from 'commander';
import path from 'node:path';
import {
  finishWarnings,
  importStudies,
  NO_SLICES,
  removeStudy,
  repairStudy,
} from '../../core/project';
import { AppError } from '../../core/errors';
import { dicomKind, isDicomSegFile } from '../../core/seg/detect';
import { readVolumeFile } from '../../core/volume/nifti';
import { importFromDicomweb, type DicomwebImportFlags } from '../dicomweb';
import { createProgress, parseCount } from '../output';
import { attachSegs, printSegImport } from '../seg';
import { withProject } from '../withProject';

interface ImportFlags extends DicomwebImportFlags {
  labeled?: number;
  replaceNonFinite?: boolean;
  repairGeometry?: boolean;
  volume?: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function registerStudyCommands(program: Command): void {
  program
    .command('import')
    .description(
      'import studies: NIfTI files, DICOM folders (one study per series), a Decathlon folder, or ' +
        'series from a DICOMweb server (--dicomweb); DICOM SEG files become label versions of their studies',
    )
    .argument('<project>', 'project folder')
    .argument('[paths...]', 'files or folders to import')
    .option('--dicomweb <server>', 'retrieve from this DICOMweb server (a source ID or base URL)')
    .option(
      '--series <uid...>',
      '--dicomweb: the SeriesInstanceUIDs to retrieve (see "simcvd pacs search --series")',
    )
    .option('--study <uid>', '--dicomweb: their StudyInstanceUID (looked up when left out)')
    .option(
      '--parallel <n>',
      '--dicomweb: instances downloaded at once (default 4)',
      parseCount('--parallel', 1),
    )
    .option('--config-dir <dir>', '--dicomweb: per-user folder of the DICOMweb sources file')
    .option(
      '--labeled <n>',
      'Decathlon folders: attach labelsTr to the first N cases only (default all)',
      parseCount('--labeled', 0),
    )
    .option('--replace-non-finite', 'set NaN/Inf image voxels to 0 instead of refusing the study')
    .option(
      '--repair-geometry',
      'rebuild non-finite or degenerate header geometry from the other header fields instead of refusing',
    )
    .option('--volume <n>', '4-D NIfTI files: import volume N (0-based)', parseCount('--volume', 0))
    .action(async (dir: string, given: string[], opts: ImportFlags) => {
      if (opts.dicomweb || opts.series) return importFromDicomweb(dir, given, opts);
      if (given.length === 0)
        throw new AppError(
          'BAD_INPUT',
          'Nothing to import: give files or folders, or --dicomweb SERVER --series UID….',
        );
      const segs: string[] = [];
      for (const file of given) if (await isDicomSegFile(file)) segs.push(file);
      const sources = given.filter((file) => !segs.includes(file));
      const progress = createProgress('import');
      const { imported, attached } = await withProject(
        dir,
        true,
        'simcvd import',
        async (store) => {
          const imported =
            sources.length > 0
              ? await importStudies(store, sources, {
                  labeled: opts.labeled,
                  nonFinite: opts.replaceNonFinite ? 'zero' : 'reject',
                  geometry: opts.repairGeometry ? 'repair' : 'reject',
                  volumeIndex: opts.volume,
                  onProgress: (p) => progress(p.done, p.total, p.item),
                })
              : undefined;
          // After the images, so a series and its SEG can be imported in one command.
          return { imported, attached: await attachSegs(store, segs) };
        },
      );
      for (const a of attached) printSegImport(a);
      if (!imported) return;
      const labeled = imported.filter((s) => s.labeled).length;
      process.stdout.write(
        `imported ${plural(imported.length, 'study', 'studies')} (${labeled} labeled, ${imported.length - labeled} unlabeled)\n`,
      );
      for (const w of imported.warnings) process.stderr.write(`warning: ${w}\n`);
      for (const s of imported)
        for (const w of s.warnings) process.stderr.write(`warning: ${s.id}: ${w}\n`);
      for (const s of imported.skipped) process.stderr.write(`skipped ${s.source}: ${s.reason}\n`);
    });

  program
    .command('label')
    .description(
      'attach a label mask to a study as a new label version (earlier versions are kept)',
    )
    .argument('<project>', 'project folder')
    .argument('<study>', 'study ID')
    .argument('<mask>', 'NIfTI mask on the study image grid, or a DICOM SEG drawn on its series')
    .option('--draft', 'mark the label as work in progress (not used for training)')
    .option(
      '--annotated-slices <k,…>',
      "a partial label: only these slices (0-based, along the study's slice axis) were annotated; " +
        'training uses them and treats the rest as unknown',
      parseSliceList,
    )
    .action(
      async (
        dir: string,
        studyId: string,
        maskPath: string,
        opts: { draft?: boolean; annotatedSlices?: number[] },
      ) => {
        const kind = await dicomKind(maskPath);
        if (kind === 'other')
          throw new AppError(
            'BAD_INPUT',
            `${maskPath} is a DICOM object but not a segmentation: give a NIfTI mask or a DICOM SEG.`,
          );
        if (kind === 'seg') {
          if (opts.annotatedSlices)
            throw new AppError(
              'BAD_INPUT',
              '--annotated-slices is for NIfTI masks, not DICOM SEG.',
            );
          const [attached] = await withProject(dir, true, 'simcvd label', (store) =>
            attachSegs(store, [maskPath], { studyId, draft: opts.draft }),
          );
          return printSegImport(attached!);
        }
        const mask = await readVolumeFile(maskPath);
        const partial = opts.annotatedSlices !== undefined;
        const final = !opts.draft && !partial;
        const version = await withProject(dir, true, 'simcvd label', (store) =>
          store.saveLabel(studyId, mask, {
            provenance: { kind: 'import', sourcePath: path.resolve(maskPath) },
            final,
            ...(partial ? { annotatedSlices: { ...NO_SLICES, k: opts.annotatedSlices! } } : {}),
          }),
        );
        const what = partial
          ? ` (partial: ${version.annotatedSlices!.k.length} annotated slices)`
          : final
            ? ''
            : ' (draft)';
        process.stdout.write(`study ${studyId}: saved label version ${version.id}${what}\n`);
        if (final) {
          const data = mask.data instanceof Uint8Array ? mask.data : Uint8Array.from(mask.data);
          for (const w of finishWarnings(data, mask.dims)) process.stderr.write(`warning: ${w}\n`);
        }
      },
    );

  program
    .command('repair')
    .description(
      "rebuild a study's record from its image and label files (the old record is kept beside it)",
    )
    .argument('<project>', 'project folder')
    .argument('<study>', 'study ID (as listed under "problems" by simcvd info)')
    .action(async (dir: string, studyId: string) => {
      const { changes } = await withProject(dir, true, 'simcvd repair', (store) =>
        repairStudy(store, studyId),
      );
      process.stdout.write(`study ${studyId}: repaired\n`);
      for (const change of changes) process.stdout.write(`  ${change}\n`);
    });

  program
    .command('remove')
    .description(
      'set a study aside: its folder moves to .removed/ in the project (nothing is deleted)',
    )
    .argument('<project>', 'project folder')
    .argument('<study>', 'study ID')
    .action(async (dir: string, studyId: string) => {
      const { movedTo } = await withProject(dir, true, 'simcvd remove', (store) =>
        removeStudy(store, studyId),
      );
      process.stdout.write(`study ${studyId}: removed (moved to ${movedTo})\n`);
    });
}

/** "3,10,20" → [3, 10, 20]: whole numbers ≥ 0 (bounds are checked against the study). */
function parseSliceList(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p)))
    throw new InvalidArgumentError(`expected slice numbers like 3,10,20, got "${value}".`);
  return parts.map(Number);
}

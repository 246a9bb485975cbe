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
import { readVolumeFile } from '../../core/volume/nifti';
import { createProgress, parseCount } from '../output';
import { withProject } from '../withProject';

interface ImportFlags {
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
      'import studies: NIfTI files, DICOM folders (one study per series), or a Decathlon folder',
    )
    .argument('<project>', 'project folder')
    .argument('<paths...>', 'files or folders to import')
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
    .action(async (dir: string, sources: string[], opts: ImportFlags) => {
      const progress = createProgress('import');
      const imported = await withProject(dir, true, 'simcvd import', (store) =>
        importStudies(store, sources, {
          labeled: opts.labeled,
          nonFinite: opts.replaceNonFinite ? 'zero' : 'reject',
          geometry: opts.repairGeometry ? 'repair' : 'reject',
          volumeIndex: opts.volume,
          onProgress: (p) => progress(p.done, p.total, p.item),
        }),
      );
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
    .argument('<mask>', 'NIfTI mask on the study image grid')
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

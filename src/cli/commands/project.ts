// `simcvd init|import|label|export|info`: project commands (Node CLI adapter over src/core).
import type { Command } from 'commander';
import path from 'node:path';
import { summarizeStudy } from '../../shared/contract/project';
import {
  createProject,
  exportLabels,
  exportProposals,
  importStudies,
  listModels,
  ProjectStore,
  resolveModelId,
} from '../../core/project';
import { readVolumeFile } from '../../core/volume/nifti';
import { createProgress, parseCount, printJson, printTable } from '../output';

/** Opens the project, runs `work`, and always releases the lock. */
async function withProject<T>(
  dir: string,
  write: boolean,
  purpose: string,
  work: (store: ProjectStore) => Promise<T>,
): Promise<T> {
  const store = await ProjectStore.open(dir, { write, purpose });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function registerProjectCommands(program: Command): void {
  program
    .command('init')
    .description('create an empty project folder')
    .argument('<project>', 'project folder (new or empty)')
    .option('--name <name>', 'display name (default: the folder name)')
    .action(async (dir: string, opts: { name?: string }) => {
      const manifest = await createProject(dir, { name: opts.name });
      process.stdout.write(`created project "${manifest.name}" in ${path.resolve(dir)}\n`);
    });

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
    .action(
      async (
        dir: string,
        sources: string[],
        opts: { labeled?: number; replaceNonFinite?: boolean },
      ) => {
        const progress = createProgress('import');
        const imported = await withProject(dir, true, 'simcvd import', (store) =>
          importStudies(store, sources, {
            labeled: opts.labeled,
            nonFinite: opts.replaceNonFinite ? 'zero' : 'reject',
            onProgress: (p) => progress(p.done, p.total, p.item),
          }),
        );
        const labeled = imported.filter((s) => s.labeled).length;
        process.stdout.write(
          `imported ${imported.length} studies (${labeled} labeled, ${imported.length - labeled} unlabeled)\n`,
        );
        for (const s of imported)
          for (const w of s.warnings) process.stderr.write(`warning: ${s.id}: ${w}\n`);
      },
    );

  program
    .command('label')
    .description(
      'attach a label mask to a study as a new label version (earlier versions are kept)',
    )
    .argument('<project>', 'project folder')
    .argument('<study>', 'study ID')
    .argument('<mask>', 'NIfTI mask on the study image grid')
    .option('--draft', 'mark the label as work in progress (not used for training)')
    .action(async (dir: string, studyId: string, maskPath: string, opts: { draft?: boolean }) => {
      const mask = await readVolumeFile(maskPath);
      const version = await withProject(dir, true, 'simcvd label', (store) =>
        store.saveLabel(studyId, mask, {
          provenance: { kind: 'import', sourcePath: path.resolve(maskPath) },
          final: !opts.draft,
        }),
      );
      process.stdout.write(`study ${studyId}: saved label version ${version.id}\n`);
    });

  program
    .command('export')
    .description('write the current label of each labeled study as <outdir>/<study>.nii.gz')
    .argument('<project>', 'project folder')
    .argument('<outdir>', 'output folder')
    .option('--study <id...>', 'only these studies')
    .option('--proposals', "also the model's proposals, as <outdir>/proposals/<study>.nii.gz")
    .option(
      '--uncertainty',
      'also the voxel uncertainty maps (float), as <outdir>/uncertainty/<study>.nii.gz',
    )
    .option('--model <id>', 'model version of --proposals/--uncertainty (default: the newest)')
    .action(
      async (
        dir: string,
        outDir: string,
        opts: { study?: string[]; proposals?: boolean; uncertainty?: boolean; model?: string },
      ) => {
        const progress = createProgress('export');
        const files = await withProject(dir, false, 'simcvd export', async (store) => {
          const wantsModel = opts.proposals || opts.uncertainty;
          const labels = await exportLabels(store, outDir, {
            studies: opts.study,
            onProgress: (p) => progress(p.done, p.total, p.item),
            // With proposals requested, a project without human labels still exports.
            allowNone: wantsModel,
          });
          if (!wantsModel) return labels;
          const modelId = await resolveModelId(store, opts.model);
          const extra = await exportProposals(store, outDir, modelId, {
            labels: !!opts.proposals,
            uncertainty: !!opts.uncertainty,
          });
          return [...labels, ...extra];
        });
        process.stdout.write(`exported ${files.length} files to ${path.resolve(outDir)}\n`);
      },
    );

  program
    .command('info')
    .description('list studies with their status, labels and models')
    .argument('<project>', 'project folder')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, opts: { json?: boolean }) => {
      await withProject(dir, false, 'simcvd info', async (store) => {
        const studies = (await store.listStudies()).map((s) => summarizeStudy(s));
        const models = await listModels(store);
        if (opts.json) {
          printJson({
            name: store.manifest.name,
            root: store.root,
            labels: store.manifest.labels,
            studies,
            models,
          });
          return;
        }
        process.stdout.write(`project "${store.manifest.name}" (${store.root})\n`);
        process.stdout.write(
          `labels: ${store.manifest.labels.map((l) => `${l.value}=${l.name}`).join(', ')}\n`,
        );
        printTable(
          ['study', 'status', 'size', 'spacing mm', 'label', 'versions', 'fg voxels'],
          studies.map((s) => [
            s.id,
            s.status,
            s.dims.join('×'),
            s.spacingMm.map((x) => x.toFixed(2)).join('×'),
            s.currentLabel ?? '-',
            String(s.labelVersionCount),
            String(s.labeledVoxels),
          ]),
        );
        if (models.length > 0) {
          process.stdout.write('\n');
          printTable(
            ['model', 'created', 'profile', 'iterations', 'labeled', 'unlabeled', 'val Dice'],
            models.map((m) => [
              m.id,
              m.createdAt.slice(0, 16).replace('T', ' '),
              m.profile + (m.supervisedOnly ? ' (supervised only)' : ''),
              String(m.iterations),
              String(m.labeled.length),
              String(m.unlabeled.length),
              m.metrics.validationDice === null ? '-' : m.metrics.validationDice.toFixed(3),
            ]),
          );
        }
      });
    });
}

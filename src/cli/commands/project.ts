// `simcvd init|export|info`: project commands (Node CLI adapter over src/core); studies are
// added and fixed by ./studies.
import { Option, type Command } from 'commander';
import path from 'node:path';
import {
  summarizeStudies,
  createProject,
  exportLabels,
  type ExportSummary,
  type ExportedFile,
  exportProposals,
  planProposalExport,
  listModels,
  resolveModelId,
} from '../../core/project';
import { currentLabelVersion } from '../../shared/contract/project';
import { AppError } from '../../core/errors';
import { createProgress, parseCount, printJson, printTable } from '../output';
import { exportSegs } from '../seg';
import { withProject } from '../withProject';

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
    .command('export')
    .description(
      'write the current finished label of each study as <outdir>/<study>.nii.gz on its image geometry, ' +
        'or (--format seg) as a DICOM SEG to <outdir>/<study>.seg.dcm and/or back to the PACS (--stow)',
    )
    .argument('<project>', 'project folder')
    .argument('[outdir]', 'output folder (outside the project); optional with --stow')
    .addOption(
      new Option('--format <format>', 'NIfTI masks, or DICOM SEG objects (DICOM studies only)')
        .choices(['nifti', 'seg'])
        .default('nifti'),
    )
    .option(
      '--stow',
      '--format seg: store each SEG (STOW-RS) on the DICOMweb source its study came from',
    )
    .option(
      '--stow-to <server>',
      '--format seg: store every SEG on this server (a source ID or URL)',
    )
    .option('--config-dir <dir>', 'per-user folder of the DICOMweb sources file')
    .addOption(
      new Option('--only <origin>', 'only human labels or only accepted model proposals').choices([
        'human',
        'accepted',
      ]),
    )
    .option('--studies <ids>', 'only these studies, comma-separated (e.g. case_001,case_004)')
    .option('--study <id...>', 'only these studies (space-separated; same as --studies)')
    .option('--proposals', "also the model's proposals, as <outdir>/proposals/<study>.nii.gz")
    .option(
      '--uncertainty',
      'also the voxel uncertainty maps (0–1), as <outdir>/uncertainty/<study>.nii.gz',
    )
    .option('--model <id>', 'model version of --proposals/--uncertainty (default: the active one)')
    .option(
      '--ignore-label <value>',
      'also partial labels (annotated slices only), with this value on unannotated voxels (nnU-Net v2 "ignore")',
      parseCount('--ignore-label', 1),
    )
    .option(
      '--annotated-masks',
      "with --ignore-label: each partial label's annotated voxels as <outdir>/annotated/<study>.nii.gz",
    )
    .action(async (dir: string, outDir: string | undefined, opts: ExportCommandOptions) => {
      if (opts.format === 'seg') return exportSegsFor(dir, outDir, opts);
      if (opts.stow || opts.stowTo)
        throw new AppError(
          'BAD_INPUT',
          '--stow and --stow-to send DICOM SEG objects: add --format seg.',
        );
      if (!outDir) throw new AppError('BAD_INPUT', 'Give the output folder to export to.');
      const progress = createProgress('export');
      const wantsModel = opts.proposals || opts.uncertainty;
      const { summary, extra } = await withProject(dir, false, 'simcvd export', async (store) => {
        const studies = studiesOption(opts);
        // Everything that can refuse is checked before the first file is written.
        const proposalPlan = wantsModel
          ? await planProposalExport(store, await resolveModelId(store, opts.model), {
              labels: !!opts.proposals,
              uncertainty: !!opts.uncertainty,
              studies,
            })
          : undefined;
        const summary = await exportLabels(store, outDir, {
          studies,
          include: opts.only && {
            human: opts.only === 'human',
            accepted: opts.only === 'accepted',
          },
          onProgress: (p) => progress(p.done, p.total, p.item),
          // With proposals requested, a project without finished labels still exports.
          allowNone: wantsModel,
          ...(opts.ignoreLabel !== undefined ? { ignoreLabel: opts.ignoreLabel } : {}),
          annotatedMasks: !!opts.annotatedMasks,
        });
        const extra = proposalPlan ? await exportProposals(store, outDir, proposalPlan) : [];
        return { summary, extra };
      });
      printExportSummary(summary, extra);
    });

  program
    .command('info')
    .description('list studies with their status, labels and models')
    .argument('<project>', 'project folder')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, opts: { json?: boolean }) => {
      await withProject(dir, false, 'simcvd info', async (store) => {
        const studies = await summarizeStudies(store);
        const { studies: records, problems } = await store.scanStudies();
        const annotated = new Map(
          records.map((r) => [r.id, currentLabelVersion(r)?.annotatedSlices ?? null]),
        );
        const models = await listModels(store);
        if (opts.json) {
          printJson({
            name: store.manifest.name,
            root: store.root,
            labels: store.manifest.labels,
            // Each partial label's annotated slices by axis (null: none recorded / finished).
            studies: studies.map((s) => ({
              ...s,
              annotatedSliceList: annotated.get(s.id) ?? null,
            })),
            problems,
            models,
          });
          return;
        }
        process.stdout.write(`project "${store.manifest.name}" (${store.root})\n`);
        process.stdout.write(
          `labels: ${store.manifest.labels.map((l) => `${l.value}=${l.name}`).join(', ')}\n`,
        );
        printTable(
          [
            'study',
            'status',
            'size',
            'spacing mm',
            'label',
            'versions',
            'slices',
            'fg voxels',
            'proposal',
          ],
          studies.map((s) => [
            s.id,
            s.status,
            s.dims.join('×'),
            s.spacingMm.map((x) => x.toFixed(2)).join('×'),
            s.currentLabel ?? '-',
            String(s.labelVersionCount),
            s.coverage === 'full'
              ? 'all'
              : s.coverage === 'partial'
                ? `${s.annotatedSlices.k} / ${s.dims[2]}` +
                  (s.annotatedSlices.i + s.annotatedSlices.j
                    ? ` (+${s.annotatedSlices.i + s.annotatedSlices.j} other)`
                    : '')
                : '-',
            String(s.labeledVoxels),
            s.proposal
              ? `${s.proposal.foregroundVoxels} vx, ${s.proposal.volumeMl.toFixed(1)} mL` +
                (s.proposal.flags.length
                  ? ` (${s.proposal.flags.map((f) => f.kind).join(', ')})`
                  : '')
              : '-',
          ]),
        );
        for (const s of studies)
          for (const f of s.proposal?.flags ?? [])
            process.stdout.write(
              `warning ${s.id} (proposal of ${s.proposal!.modelId}): ${f.message}\n`,
            );
        if (problems.length > 0) {
          process.stdout.write(
            `\n${problems.length} ${problems.length === 1 ? 'study' : 'studies'} cannot be read ` +
              '(fix with "simcvd repair <project> <study>", or set aside with "simcvd remove"):\n',
          );
          for (const p of problems) process.stdout.write(`  ${p.studyId}: ${p.reason}\n`);
        }
        if (models.length > 0) {
          process.stdout.write('\n');
          printTable(
            [
              'model',
              'parent',
              'created',
              'profile',
              'iterations',
              'labeled',
              'unlabeled',
              'val Dice',
            ],
            models.map((m) => [
              m.id,
              m.parent ?? '-',
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

/** `export --format seg`: finished labels as DICOM SEG (the NIfTI-only options refused). */
function exportSegsFor(dir: string, outDir: string | undefined, opts: ExportCommandOptions) {
  const niftiOnly = [
    opts.proposals && '--proposals',
    opts.uncertainty && '--uncertainty',
    opts.ignoreLabel !== undefined && '--ignore-label',
    opts.annotatedMasks && '--annotated-masks',
  ].filter(Boolean);
  if (niftiOnly.length > 0)
    throw new AppError(
      'BAD_INPUT',
      `${niftiOnly.join(', ')} export NIfTI files; leave out --format seg.`,
    );
  return exportSegs(dir, outDir, {
    stow: opts.stow,
    stowTo: opts.stowTo,
    configDir: opts.configDir,
    studies: studiesOption(opts),
    include: opts.only && { human: opts.only === 'human', accepted: opts.only === 'accepted' },
  });
}

interface ExportCommandOptions {
  format: 'nifti' | 'seg';
  stow?: boolean;
  stowTo?: string;
  configDir?: string;
  only?: 'human' | 'accepted';
  studies?: string;
  study?: string[];
  proposals?: boolean;
  uncertainty?: boolean;
  model?: string;
  ignoreLabel?: number;
  annotatedMasks?: boolean;
}

function studiesOption(opts: ExportCommandOptions): string[] | undefined {
  const ids = [
    ...(opts.studies ?? '').split(',').map((id) => id.trim()),
    ...(opts.study ?? []),
  ].filter(Boolean);
  return ids.length > 0 ? ids : undefined;
}

function printExportSummary(summary: ExportSummary, extra: ExportedFile[]): void {
  const rows = [
    ...summary.files.flatMap((f) => [
      [path.basename(f.path), f.labelVersion, f.partial ? `${f.origin}, partial` : f.origin],
      ...(f.annotatedPath
        ? [[path.relative(summary.outDir, f.annotatedPath), f.labelVersion, 'annotated voxels']]
        : []),
    ]),
    // The model's files, by their path in the export folder (proposals/…, uncertainty/…).
    ...extra.map((f) => [
      path.relative(summary.outDir, f.path),
      f.labelVersion.split(':')[0]!,
      f.labelVersion.endsWith(':uncertainty') ? 'uncertainty map' : 'proposal',
    ]),
  ];
  if (rows.length > 0) printTable(['file', 'version', 'origin'], rows);
  for (const s of summary.skipped) process.stdout.write(`skipped ${s.studyId}: ${s.reason}\n`);
  const total = summary.files.length + extra.length;
  const proposals = extra.length > 0 ? ` (${extra.length} from the model)` : '';
  process.stdout.write(
    `exported ${total} file${total === 1 ? '' : 's'}${proposals} to ${summary.outDir}\n`,
  );
}

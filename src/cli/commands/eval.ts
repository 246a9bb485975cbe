// `simcvd eval`: scores predicted masks against ground-truth masks (Node CLI adapter over
// src/core/metrics): per-case table and mean, or JSON.
import type { Command } from 'commander';
import { METRIC_KEYS, type MeanMetrics } from '../../core/metrics/evaluate';
import {
  evaluateFolders,
  type FolderEvaluation,
  type MissingCase,
} from '../../core/metrics/folders';
import { createProgress, parseCount, printJson, printTable } from '../output';

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description(
      'score predicted masks against ground truth: Dice, Jaccard, 95% Hausdorff, ASD (pred→truth) and ASSD, in voxels and mm',
    )
    .requiredOption('--pred <dir>', 'folder of predicted masks (.nii.gz or .nii)')
    .requiredOption('--truth <dir>', 'folder of ground-truth masks with the same file names')
    .option(
      '--label <n>',
      'label value to score (default 1; required when masks hold other values)',
      parseCount('--label', 1),
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { pred: string; truth: string; label?: number; json?: boolean }) => {
      const progress = createProgress('eval');
      const result = await evaluateFolders(opts.pred, opts.truth, {
        label: opts.label,
        onProgress: (done, total, name) => progress(done, total, name),
      });
      if (opts.json) printJson(toJson(result));
      else printReport(result);
      if (result.missing.length > 0) reportMissing(result.missing, result.cases.length);
    });
}

/** The documented JSON shape, and nothing else: `{cases: [...], mean: {...}}`. */
function toJson(result: FolderEvaluation): unknown {
  return {
    cases: result.cases.map((c) => ({
      name: c.name,
      ...pickMetrics(c),
      predEmpty: c.predEmpty,
      truthEmpty: c.truthEmpty,
    })),
    mean: pickMetrics(result.mean),
  };
}

function pickMetrics(
  m: Pick<MeanMetrics, (typeof METRIC_KEYS)[number]>,
): Record<string, number | null> {
  return Object.fromEntries(METRIC_KEYS.map((key) => [key, m[key]]));
}

function printReport(result: FolderEvaluation): void {
  const fraction = (x: number) => x.toFixed(4);
  const distance = (x: number | null) => (x === null ? '-' : x.toFixed(2));
  const row = (name: string, m: Pick<MeanMetrics, (typeof METRIC_KEYS)[number]>, note: string) => [
    name,
    ...METRIC_KEYS.map((key) =>
      key === 'dice' || key === 'jaccard' ? fraction(m[key]) : distance(m[key]),
    ),
    note,
  ];
  const { mean } = result;
  printTable(
    ['case', ...METRIC_KEYS.map((key) => key.replace(/Mm$/, ' mm')), 'note'],
    [
      ...result.cases.map((c) => row(c.name, c, emptyNote(c.predEmpty, c.truthEmpty))),
      row(
        'mean',
        mean,
        mean.distanceCases < mean.cases
          ? `distances over ${mean.distanceCases} of ${mean.cases} cases`
          : '',
      ),
    ],
  );
  process.stdout.write(
    [
      `label ${result.label}; voxel columns use unit spacing, mm columns the truth image spacing.`,
      'hd95: 95th percentile of the surface distances of both directions pooled.',
      "asd: mean surface distance prediction→truth (one-directional, the papers' ASD).",
      'assd: mean of the two directional mean distances (symmetric).',
      'Empty masks have no distances (-), skipped by the mean; an empty prediction scores Dice 0.',
    ].join('\n') + '\n',
  );
}

function emptyNote(predEmpty: boolean, truthEmpty: boolean): string {
  if (predEmpty && truthEmpty) return 'both empty';
  if (predEmpty) return 'empty prediction';
  return truthEmpty ? 'empty truth' : '';
}

/** Unpaired files make the mean cover fewer cases than intended: list them and fail. */
function reportMissing(missing: MissingCase[], evaluated: number): void {
  process.stderr.write(
    `simcvd: ${missing.length} file${missing.length === 1 ? ' has' : 's have'} no partner, so the results cover only the ${evaluated} paired case${evaluated === 1 ? '' : 's'}:\n`,
  );
  for (const m of missing)
    process.stderr.write(
      `  ${m.name}: ${m.file} has no ${m.onlyIn === 'truth' ? 'prediction' : 'ground truth'}\n`,
    );
  process.exitCode = 1;
}

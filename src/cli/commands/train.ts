// `simcvd train`: trains SimCVD on a project in a separate process (Node CLI adapter).
import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors';
import { ProjectStore } from '../../core/project';
import { BACKEND_CHOICES, type BackendChoice } from '../../engine/backend';
import { planCounts } from '../../engine/host/caller/plan';
import { defaultComputeThreads } from '../../engine/host/caller/threads';
import { predictProject } from '../../engine/host/caller/predict';
import { trainProject } from '../../engine/host/caller/train';
import type { ModelRecord } from '../../shared/contract/models';
import { describeBackend } from '../../shared/contract/training';
import { hasFinalLabel } from '../../shared/contract/project';
import { followPrediction, predictionTimes } from '../predictRun';
import type { ProfileName, TrainingOverrides } from '../../engine/trainer/config';
import { createProgress, formatDuration, parseCount } from '../output';

interface TrainOptions {
  profile: string;
  iterations?: number;
  backend: string;
  supervisedOnly?: boolean;
  seed?: number;
  checkpointEvery?: number;
  resume?: boolean;
  fromScratch?: boolean;
  continue?: boolean;
  /** false with --no-predict. */
  predict: boolean;
  patch?: [number, number, number];
  sdmOnPartial?: 'skip' | 'slicewise2d';
  threads?: number;
}

/** "96x96x64" → [96, 96, 64]. */
function parsePatch(value: string): [number, number, number] {
  const dims = value.split(/[x×,]/).map(Number);
  if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0))
    throw new AppError('BAD_INPUT', `--patch must look like 96x96x64, got "${value}".`);
  return dims as [number, number, number];
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      'train SimCVD on the labeled and unlabeled studies of a project; the result becomes a new model version',
    )
    .argument('<project>', 'project folder')
    .option(
      '--profile <name>',
      'paper (112×112×80, width 16, 6000 it.), quick (CPU minutes), tiny (tests)',
      'quick',
    )
    .option(
      '--iterations <n>',
      'student updates (schedules scale with it)',
      parseCount('--iterations', 1),
    )
    .option('--backend <name>', `${BACKEND_CHOICES.join(' | ')}`, 'auto')
    .option('--supervised-only', 'labeled studies only (the baseline without the unlabeled terms)')
    .option('--seed <s>', 'random seed', parseCount('--seed', 0))
    .option(
      '--checkpoint-every <n>',
      'save a resumable checkpoint every N iterations',
      parseCount('--checkpoint-every', 0),
    )
    .option('--resume', 'continue the last interrupted run from its checkpoint')
    .option(
      '--continue',
      'start from the active model version (the default when its network fits; shorter run)',
    )
    .option('--from-scratch', 'do not start from the active model version')
    .option('--patch <XxYxZ>', 'patch size in voxels of the training grid', parsePatch)
    .addOption(
      new Option(
        '--sdm-on-partial <mode>',
        'partially labeled studies and the SDM loss: skip them, or use 2-D SDMs of their annotated slices',
      ).choices(['skip', 'slicewise2d']),
    )
    .option(
      '--threads <n>',
      `compute threads on the cpu/wasm backends (default ${defaultComputeThreads()}: the physical cores minus one)`,
      parseCount('--threads', 1),
    )
    .option('--no-predict', 'do not predict proposals for the unlabeled studies when training ends')
    .action(async (dir: string, opts: TrainOptions) => {
      if (!['paper', 'quick', 'tiny'].includes(opts.profile)) {
        throw new AppError(
          'BAD_INPUT',
          `Unknown profile "${opts.profile}"; use paper, quick or tiny.`,
        );
      }
      if (!(BACKEND_CHOICES as readonly string[]).includes(opts.backend)) {
        throw new AppError(
          'BAD_INPUT',
          `Unknown backend "${opts.backend}"; use ${BACKEND_CHOICES.join(', ')}.`,
        );
      }
      const overrides: TrainingOverrides = { backend: opts.backend as BackendChoice };
      if (opts.iterations !== undefined) overrides.iterations = opts.iterations;
      if (opts.supervisedOnly) overrides.supervisedOnly = true;
      if (opts.seed !== undefined) overrides.seed = opts.seed;
      if (opts.checkpointEvery !== undefined) overrides.checkpointEvery = opts.checkpointEvery;
      if (opts.patch) overrides.patchSize = opts.patch;
      if (opts.sdmOnPartial) overrides.sdmOnPartial = opts.sdmOnPartial;
      if (opts.continue && opts.fromScratch)
        throw new AppError('BAD_INPUT', 'Give --continue or --from-scratch, not both.');
      const store = await ProjectStore.open(dir, { write: true, purpose: 'simcvd train' });
      try {
        const training = await trainProject(store, {
          ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
          profile: opts.profile as ProfileName,
          overrides,
          resume: opts.resume,
          from: opts.fromScratch ? 'scratch' : opts.continue ? 'continue' : 'auto',
        });
        const { handle } = training;
        const counts = planCounts(training.plan);
        process.stderr.write(
          `plan: ${counts.full} labeled` +
            (counts.partial
              ? `, ${counts.partial} partially labeled (${counts.partialSlices} slices)`
              : '') +
            // The unlabeled terms also learn from the partial studies: counted once.
            `, ${training.config.supervisedOnly ? 0 : counts.unlabeledOnly} unlabeled` +
            (counts.partial && !training.config.supervisedOnly
              ? ' (the partial ones feed the unlabeled terms too)'
              : '') +
            (counts.validation ? `, ${counts.validation} held back for validation` : '') +
            '\n',
        );
        if (opts.resume && !training.resumed)
          process.stderr.write('no interrupted run to resume; starting a new one\n');
        const check = training.continuation;
        if (!training.resumed && training.config.continueFrom && check)
          process.stderr.write(
            `continuing from ${check.modelId} (${check.newLabels} new label${check.newLabels === 1 ? '' : 's'}): ` +
              `${training.config.iterations} iterations; --from-scratch trains a new model from zero\n`,
          );
        else if (!training.resumed && check && !check.possible)
          process.stderr.write(
            `training from scratch: cannot continue from ${check.modelId}, ${check.reason}\n`,
          );
        handle.events.on('backend', (b) =>
          process.stderr.write(`backend: ${describeBackend(b)}\n`),
        );
        handle.events.on('log', (m) => process.stderr.write(`${m}\n`));
        const progress = createProgress('train');
        handle.events.on('progress', (p) =>
          progress(
            p.iteration,
            p.iterations,
            `loss ${p.losses.total.toFixed(3)} ${p.iterationsPerSecond.toFixed(2)} it/s` +
              (p.validationDice !== undefined ? ` val Dice ${p.validationDice.toFixed(3)}` : ''),
          ),
        );
        let interrupted = 0;
        const onSigint = () => {
          interrupted++;
          if (interrupted === 1) {
            process.stderr.write(
              '\nstopping after this iteration (Ctrl-C again to abort without a checkpoint)…\n',
            );
            handle.cancel();
          } else process.exit(130);
        };
        process.on('SIGINT', onSigint);
        try {
          const { record, outcome } = await training.model;
          if (outcome.resumedFrom !== null)
            process.stderr.write(`(resumed from iteration ${outcome.resumedFrom})\n`);
          const dice = record.metrics.validationDice;
          process.stdout.write(
            `model ${record.id}${record.parent ? ` (continued from ${record.parent})` : ''}: ` +
              `${record.iterations} iterations in ${formatDuration(record.durationMs / 1000)} on ${record.backend.name}, ` +
              `${studiesUsed(record)}` +
              (dice !== null ? `, validation Dice ${dice.toFixed(3)}` : '') +
              '\n',
          );
          // As the app does: the new model proposes masks for every study without a final label.
          if (opts.predict) {
            const unlabeled = (await store.listStudies()).filter((s) => !hasFinalLabel(s));
            if (unlabeled.length > 0) {
              const { handle: prediction } = await predictProject(store, {
                modelId: record.id,
                backend: opts.backend,
                ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
              });
              const predicted = await followPrediction(prediction, record.id);
              process.stdout.write(
                `${predicted.items.length} proposals stored for model ${record.id} (${predictionTimes(predicted)})\n`,
              );
            }
          }
        } catch (error) {
          if (error instanceof AppError && error.code === 'CANCELLED') {
            process.stderr.write(`${error.message}\n`);
            process.exitCode = 130;
            return;
          }
          throw error;
        } finally {
          process.off('SIGINT', onSigint);
        }
      } finally {
        await store.close();
      }
    });
}

/** "2 labeled + 2 partially labeled (7 slices) + 3 unlabeled studies" of a model record. */
function studiesUsed(record: ModelRecord): string {
  const counts = planCounts(record);
  return (
    `${counts.full} labeled + ` +
    (counts.partial
      ? `${counts.partial} partially labeled (${counts.partialSlices} slices) + `
      : '') +
    `${counts.unlabeledOnly} unlabeled studies`
  );
}

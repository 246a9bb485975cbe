// `simcvd predict` and `simcvd rank`: proposals from a model version, and what to annotate next
// (Node CLI adapters over src/engine/host and src/core/active).
import type { Command } from 'commander';
import { rankProject } from '../../core/active/candidates';
import type { RankStrategy } from '../../core/active/rank';
import { RANK_STRATEGY_CHOICES as RANK_STRATEGIES } from '../../shared/contract/studies';
import { AppError } from '../../core/errors';
import { ProjectStore } from '../../core/project';
import { BACKEND_CHOICES } from '../../engine/backend';
import { PAPER_STRIDE } from '../../engine/inference/predictVolume';
import { predictFiles, predictProject } from '../../engine/host/caller/predict';
import { defaultComputeThreads } from '../../engine/host/caller/threads';
import type { Vec3 } from '../../core/volume/volume';
import { parseCount, printJson, printTable } from '../output';
import { followPrediction, predictionTimes } from '../predictRun';

function parseStride(value: string): number | Vec3 {
  if (value === 'paper') return PAPER_STRIDE;
  if (value === 'half') return 0.5;
  const parts = value.split(',').map(Number);
  if (parts.length === 3 && parts.every((n) => Number.isInteger(n) && n > 0)) return parts as Vec3;
  throw new AppError(
    'BAD_INPUT',
    `--stride must be "half", "paper" or three whole numbers i,j,k (got "${value}").`,
  );
}

interface PredictOpts {
  model?: string;
  images?: string;
  out?: string;
  backend: string;
  stride: string;
  blending: string;
  largestComponent?: boolean;
  threads?: number;
}

export function registerPredictCommands(program: Command): void {
  program
    .command('predict')
    .description(
      'predict with a model version: proposals for the unlabeled studies, or labels for outside images',
    )
    .argument('<project>', 'project folder')
    .option('--model <id>', 'model version (default: the active one)')
    .option('--images <dir>', 'predict these NIfTI images instead of the project studies')
    .option(
      '--out <dir>',
      'with --images: folder for the predicted label maps (named like the inputs)',
    )
    .option('--backend <name>', BACKEND_CHOICES.join(' | '), 'auto')
    .option(
      '--stride <s>',
      'sliding-window step: half (of the patch), paper (18,18,4) or i,j,k',
      'half',
    )
    .option('--blending <b>', 'gaussian | uniform', 'gaussian')
    .option('--largest-component', 'keep only the largest connected component of each class')
    .option(
      '--threads <n>',
      `compute threads on the cpu/wasm backends (default ${defaultComputeThreads()}: the physical cores minus one)`,
      parseCount('--threads', 1),
    )
    .action(async (dir: string, opts: PredictOpts) => {
      if ((opts.images === undefined) !== (opts.out === undefined)) {
        throw new AppError('BAD_INPUT', '--images and --out go together.');
      }
      if (!['gaussian', 'uniform'].includes(opts.blending))
        throw new AppError('BAD_INPUT', '--blending must be gaussian or uniform.');
      const predict = {
        stride: parseStride(opts.stride),
        blending: opts.blending as 'gaussian' | 'uniform',
        largestComponent: !!opts.largestComponent,
      };
      const store = await ProjectStore.open(dir, { write: true, purpose: 'simcvd predict' });
      try {
        const common = {
          modelId: opts.model,
          backend: opts.backend,
          predict,
          ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        };
        const { modelId, handle } = opts.images
          ? await predictFiles(store, opts.images, opts.out!, common)
          : await predictProject(store, common);
        const outcome = await followPrediction(handle, modelId);
        process.stdout.write(
          `${outcome.items.length} ${opts.images ? `label maps written to ${opts.out}` : `proposals stored for model ${modelId}`} ` +
            `(${predictionTimes(outcome)})\n`,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('rank')
    .description(
      'order the studies still to review by how much annotating them should help, with the slice to look at first',
    )
    .argument('<project>', 'project folder')
    .option('--strategy <s>', RANK_STRATEGIES.join(' | '), 'uncertainty')
    .option('--model <id>', 'model version whose proposals to use (default: the active one)')
    .option('--seed <s>', 'seed of the random strategy', parseCount('--seed', 0), 1)
    .option('--json', 'machine-readable output')
    .action(
      async (
        dir: string,
        opts: { strategy: string; model?: string; seed: number; json?: boolean },
      ) => {
        if (!(RANK_STRATEGIES as readonly string[]).includes(opts.strategy)) {
          throw new AppError(
            'BAD_INPUT',
            `--strategy must be one of ${RANK_STRATEGIES.join(', ')}.`,
          );
        }
        const store = await ProjectStore.open(dir, { write: false });
        try {
          const {
            modelId,
            ranked,
            withoutProposal: missing,
          } = await rankProject(store, {
            modelId: opts.model,
            strategy: opts.strategy as RankStrategy,
            seed: opts.seed,
          });
          if (ranked.length === 0) {
            throw new AppError(
              'NOT_FOUND',
              `Model ${modelId} has no proposals for studies that still need review: run "simcvd predict" first.`,
            );
          }
          if (opts.json) {
            printJson({
              model: modelId,
              strategy: opts.strategy,
              studies: ranked,
              withoutProposal: missing,
            });
            return;
          }
          printTable(
            ['rank', 'study', 'uncertainty', 'slice (k)', 'fg voxels', 'mL', 'warnings'],
            ranked.map((r) => [
              String(r.rank),
              r.studyId,
              r.score.toFixed(4),
              String(r.slice),
              String(r.foregroundVoxels),
              r.volumeMl.toFixed(1),
              r.flags.map((f) => f.kind).join(', ') || '-',
            ]),
          );
          for (const r of ranked)
            for (const f of r.flags) process.stdout.write(`warning ${r.studyId}: ${f.message}\n`);
          if (missing.length)
            process.stderr.write(`no proposal yet (not ranked): ${missing.join(', ')}\n`);
        } finally {
          await store.close();
        }
      },
    );
}

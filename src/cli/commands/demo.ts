// `simcvd demo`: writes the synthetic Left-Atrium-like dataset (Node CLI adapter).
import type { Command } from 'commander';
import { writeDemoDataset } from '../../core/demo';
import { createProgress, parseCount } from '../output';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'write a synthetic Left-Atrium-like dataset in the Decathlon layout (imagesTr, labelsTr, imagesTs, labelsTs)',
    )
    .argument('<dir>', 'output folder (new or empty)')
    .option('--studies <n>', 'training cases', parseCount('--studies', 1), 12)
    .option('--test <n>', 'held-out test cases', parseCount('--test', 0), 4)
    .option('--seed <s>', 'random seed (same seed, same files)', parseCount('--seed', 0), 1)
    .action(async (dir: string, opts: { studies: number; test: number; seed: number }) => {
      const progress = createProgress('demo');
      await writeDemoDataset(
        dir,
        { studies: opts.studies, test: opts.test, seed: opts.seed },
        (done, total) => progress(done, total),
      );
      process.stdout.write(
        `wrote ${opts.studies} training and ${opts.test} test cases to ${dir}\n`,
      );
    });
}

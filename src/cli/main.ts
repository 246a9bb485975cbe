// The `simcvd` command line (Node): one subcommand per stage of the workflow. Each command is
// a thin adapter over src/core (and later src/engine); no domain logic lives here.
import { Command, CommanderError } from 'commander';
import { registerDemoCommand } from './commands/demo';
import { registerPacsCommands } from './commands/pacs';
import { registerEvalCommand } from './commands/eval';
import { registerProjectCommands } from './commands/project';
import { registerServeCommand } from './commands/serve';
import { registerStudyCommands } from './commands/studies';
import { registerTrainCommand } from './commands/train';
import { registerPredictCommands } from './commands/predict';
import { reportError } from './output';

export function buildProgram(): Command {
  const program = new Command('simcvd')
    .description(
      'Semi-supervised 3-D medical image segmentation workstation (SimCVD), command line',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerDemoCommand(program);
  registerProjectCommands(program);
  registerStudyCommands(program);
  registerServeCommand(program);
  registerEvalCommand(program);
  registerTrainCommand(program);
  registerPredictCommands(program);
  registerPacsCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help or its own one-line error.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    reportError(error);
  }
}

// `simcvd rank p | head`: a reader that closed the pipe has all it wanted. Further output is
// dropped instead of an unhandled EPIPE stack; the command itself still finishes (a training
// run still saves its model) rather than leaving an engine process behind.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

await runCli(process.argv.slice(2));

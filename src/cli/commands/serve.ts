// `simcvd serve`: the workstation in a browser (Node CLI adapter over src/server). Holds the
// project's write lock until stopped with Ctrl+C (or SIGTERM).
import type { Command } from 'commander';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from '../../core/project';
import { startServer } from '../../server';
import { parseCount } from '../output';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface ServeFlags {
  port: number;
  host: string;
  allowRemote?: boolean;
  token?: string;
  renderer: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the workstation to a browser (API + built renderer) for one project')
    .argument('<project>', 'project folder')
    .option('--port <port>', 'TCP port (0 picks a free one)', parseCount('--port', 0), 8420)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding a non-loopback address (then a token is required)')
    .option('--token <token>', 'access token (default: random when --allow-remote)')
    .option('--renderer <dir>', 'built renderer folder', path.join(repoRoot, 'out', 'renderer'))
    .action(async (dir: string, flags: ServeFlags) => {
      const store = await ProjectStore.open(dir, { write: true, purpose: 'simcvd serve' });
      let server;
      try {
        server = await startServer({
          store,
          rendererDir: path.resolve(flags.renderer),
          host: flags.host,
          port: flags.port,
          allowRemote: flags.allowRemote,
          token: flags.token,
          author: os.userInfo().username,
        });
      } catch (error) {
        await store.close();
        throw error;
      }
      process.stdout.write(`serving project "${store.manifest.name}" at ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stderr.write('stopping…\n');
      await server.close();
      await store.close();
    });
}

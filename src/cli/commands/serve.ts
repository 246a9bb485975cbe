// `simcvd serve`: the workstation in a browser (Node CLI adapter over src/server and the
// backend workspace). Holds the open project's write lock until stopped with Ctrl+C (SIGTERM).
import type { Command } from 'commander';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/errors';
import { Workspace } from '../../backend/workspace';
import { defaultConfigDir } from '../../backend/configDir';
import { createEventHub, startServer } from '../../server';
import { BACKEND_CHOICES, type BackendChoice } from '../../engine/backend';
import { parseCount } from '../output';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface ServeFlags {
  port: number;
  host: string;
  allowRemote?: boolean;
  /** false: --no-token. */
  token?: string | false;
  tokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
  renderer: string;
  configDir: string;
  backend?: BackendChoice;
  demoDir?: string;
  demoStudies?: number;
  demoDims?: [number, number, number];
}

/** "32x32x16" → [32, 32, 16]. */
function parseDims(value: string): [number, number, number] {
  const dims = value.split(/[x×,]/).map(Number);
  if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0))
    throw new AppError('BAD_INPUT', `--demo-dims must look like 64x64x32, got "${value}".`);
  return dims as [number, number, number];
}

/** Reads a token file, refusing one that other users can read (it is a password). */
async function readTokenFile(file: string): Promise<string> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new AppError('NOT_FOUND', `--token-file ${file} is not a file.`);
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)
    throw new AppError(
      'BAD_INPUT',
      `--token-file ${file} can be read by other users; make it private with "chmod 600 ${file}".`,
    );
  return (await fs.readFile(file, 'utf8')).trim();
}

/** The token to require: --token-file, --token, then SIMCVD_TOKEN; undefined: a random one. */
async function chosenToken(flags: ServeFlags): Promise<string | undefined> {
  if (flags.token === false) {
    if (flags.tokenFile)
      throw new AppError('BAD_INPUT', 'Give --token-file or --no-token, not both.');
    return undefined;
  }
  if (flags.tokenFile && flags.token)
    throw new AppError('BAD_INPUT', 'Give --token or --token-file, not both.');
  if (flags.tokenFile) return readTokenFile(flags.tokenFile);
  return flags.token ?? (process.env.SIMCVD_TOKEN || undefined);
}

async function readTls(flags: ServeFlags) {
  if (!flags.tlsCert && !flags.tlsKey) return undefined;
  if (!flags.tlsCert || !flags.tlsKey)
    throw new AppError('BAD_INPUT', 'HTTPS needs both --tls-cert and --tls-key.');
  const read = (file: string, flag: string) =>
    fs.readFile(file).catch(() => {
      throw new AppError('NOT_FOUND', `${flag} ${file} cannot be read.`);
    });
  return {
    cert: await read(flags.tlsCert, '--tls-cert'),
    key: await read(flags.tlsKey, '--tls-key'),
  };
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the workstation to a browser (API + built renderer)')
    .argument('[project]', 'project folder to open (default: none; open one in the app)')
    .option('--port <port>', 'TCP port (0 picks a free one)', parseCount('--port', 0), 8420)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding a non-loopback address (TLS and a token required)')
    .option(
      '--token <token>',
      'access token (default: SIMCVD_TOKEN, else random; visible to other users in ps: prefer --token-file)',
    )
    .option('--token-file <file>', 'read the access token from a private (0600) file')
    .option('--no-token', 'loopback only: serve without a token (every local user gets in)')
    .option('--tls-cert <pem>', 'serve HTTPS with this certificate chain (with --tls-key)')
    .option('--tls-key <pem>', 'private key of --tls-cert')
    .option('--insecure-http', 'with --allow-remote: plain HTTP (token and images unencrypted)')
    .option('--renderer <dir>', 'built renderer folder', path.join(repoRoot, 'out', 'renderer'))
    .option('--config-dir <dir>', 'settings and recent projects', defaultConfigDir())
    .option('--backend <b>', `engine backend for this session: ${BACKEND_CHOICES.join(' | ')}`)
    .option('--demo-dir <dir>', 'where "Open demo project" writes (default ~/SimCVD/demo)')
    .option(
      '--demo-studies <n>',
      'studies in the demo (default 12; small ones for tests)',
      parseCount('--demo-studies', 1),
    )
    .option('--demo-dims <XxYxZ>', 'voxel grid of the demo studies, e.g. 32x32x16', parseDims)
    .action(async (dir: string | undefined, flags: ServeFlags) => {
      if (flags.backend && !BACKEND_CHOICES.includes(flags.backend))
        throw new AppError('BAD_INPUT', `--backend must be one of ${BACKEND_CHOICES.join(', ')}.`);
      const hub = createEventHub();
      const workspace = new Workspace({
        shell: 'server',
        configDir: path.resolve(flags.configDir),
        emit: hub.emit,
        author: os.userInfo().username,
        defaultDemoPath: path.resolve(flags.demoDir ?? path.join(os.homedir(), 'SimCVD', 'demo')),
        settings: flags.backend ? { backend: flags.backend } : undefined,
        demo:
          flags.demoStudies || flags.demoDims
            ? { studies: flags.demoStudies, test: 0, dims: flags.demoDims }
            : undefined,
      });
      if (dir) {
        const opened = await workspace.call('app.openProject', { path: dir });
        if (!opened.ok) throw new AppError(opened.error.code, opened.error.message);
      }
      let server;
      try {
        server = await startServer({
          workspace,
          hub,
          rendererDir: path.resolve(flags.renderer),
          host: flags.host,
          port: flags.port,
          allowRemote: flags.allowRemote,
          token: await chosenToken(flags),
          noToken: flags.token === false,
          tls: await readTls(flags),
          insecureHttp: flags.insecureHttp,
        });
      } catch (error) {
        await workspace.dispose();
        throw error;
      }
      if (!server.policy.token)
        process.stderr.write(
          'warning: serving without a token (--no-token): every user and program on this ' +
            'machine can read and change the open project.\n',
        );
      else if (!server.policy.secure && flags.insecureHttp)
        process.stderr.write(
          'warning: plain HTTP (--insecure-http): the token and patient images cross the network unencrypted.\n',
        );
      const name = workspace.project?.manifest.name;
      process.stdout.write(
        `serving ${name ? `project "${name}"` : 'the workstation (no project open)'} at ${server.url}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stderr.write('stopping…\n');
      await server.close();
      await workspace.dispose();
    });
}

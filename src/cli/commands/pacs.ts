// `simcvd pacs …`: the DICOMweb sources of this user (add, list, remove, test), QIDO-RS search
// of studies and series, and the retrieves an interruption left in a project (Node CLI adapter
// over src/core/pacs). Secrets are read from stdin or the environment, never from arguments.
import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors';
import { discardPartial, listPartialRetrieves } from '../../core/pacs/downloads';
import {
  readSources,
  removeSource,
  saveSource,
  sourcesFile,
  summarizeSource,
} from '../../core/pacs/sources';
import type { PacsAuthInput, PacsSeries, PacsStudyFilters } from '../../shared/contract/pacs';
import { pacsSourceIdSchema } from '../../shared/contract/pacs';
import { clientFor, configDirFrom, withCancel } from '../dicomweb';
import { parseCount, printJson, printTable } from '../output';

interface SearchFlags {
  patient?: string;
  patientId?: string;
  modality?: string;
  date?: string;
  from?: string;
  to?: string;
  description?: string;
  accession?: string;
  study?: string;
  series?: boolean;
  limit?: number;
  json?: boolean;
  configDir?: string;
}

interface AddFlags {
  name?: string;
  auth: 'none' | 'basic' | 'bearer';
  user?: string;
  passwordStdin?: boolean;
  tokenStdin?: boolean;
  timeout?: number;
  configDir?: string;
}

const configOption = () =>
  new Option(
    '--config-dir <dir>',
    'per-user folder of the sources file (default: SIMCVD_CONFIG_DIR or the app’s)',
  );

export function registerPacsCommands(program: Command): void {
  const pacs = program
    .command('pacs')
    .description('the hospital PACS over DICOMweb: sources, search, interrupted retrieves');

  pacs
    .command('search')
    .description('search studies (or with --series, series) on a DICOMweb server (QIDO-RS)')
    .argument('<server>', 'a source ID (see "simcvd pacs sources") or a DICOMweb base URL')
    .option('--patient <name>', 'patient name (any part; * and ? are wildcards)')
    .option('--patient-id <id>', 'patient ID')
    .option('--modality <m>', 'modality, e.g. MR or CT')
    .option('--date <day>', 'study date, YYYY-MM-DD')
    .option('--from <day>', 'studies on or after this date')
    .option('--to <day>', 'studies on or before this date')
    .option('--description <text>', 'study description (any part)')
    .option('--accession <number>', 'accession number')
    .option('--study <uid>', 'one study (with --series: its series)')
    .option(
      '--series',
      'list series instead of studies (their UIDs go to "simcvd import --series")',
    )
    .option('--limit <n>', 'at most this many rows (default 100)', parseCount('--limit', 1))
    .option('--json', 'machine-readable output')
    .addOption(configOption())
    .action(async (server: string, flags: SearchFlags) => {
      const client = await clientFor(server, flags.configDir);
      const filters: PacsStudyFilters = {
        patientName: flags.patient,
        patientId: flags.patientId,
        modality: flags.modality,
        studyDateFrom: flags.date ?? flags.from,
        studyDateTo: flags.date ?? flags.to,
        description: flags.description,
        accessionNumber: flags.accession,
        studyInstanceUid: flags.study,
        limit: flags.limit,
      };
      await withCancel('search', async (signal) => {
        if (flags.series) {
          const found = await searchSeries(client, filters, signal);
          if (flags.json) return printJson({ server: client.server.label, ...found });
          printSeries(found.series);
          if (found.truncated)
            process.stderr.write('(more matched: narrow the search or raise --limit)\n');
          return;
        }
        const found = await client.searchStudies(filters, signal);
        if (flags.json) return printJson({ server: client.server.label, ...found });
        printTable(
          ['date', 'patient', 'patient ID', 'modalities', 'series', 'description', 'study UID'],
          found.studies.map((s) => [
            s.studyDate ?? '',
            s.patientName,
            s.patientId,
            s.modalities.join(','),
            s.seriesCount === undefined ? '' : String(s.seriesCount),
            s.studyDescription,
            s.studyInstanceUid,
          ]),
        );
        if (found.truncated)
          process.stderr.write('(more matched: narrow the search or raise --limit)\n');
      });
    });

  pacs
    .command('sources')
    .description('the registered DICOMweb sources (never their passwords or tokens)')
    .option('--json', 'machine-readable output')
    .addOption(configOption())
    .action(async (flags: { json?: boolean; configDir?: string }) => {
      const dir = configDirFrom(flags.configDir);
      const sources = (await readSources(dir)).map((s) => summarizeSource(s));
      if (flags.json) return printJson({ sources, configFile: sourcesFile(dir) });
      if (sources.length === 0) {
        process.stdout.write(
          `no DICOMweb sources in ${sourcesFile(dir)}; add one with "simcvd pacs add"\n`,
        );
        return;
      }
      printTable(
        ['id', 'name', 'base URL', 'auth', 'secret'],
        sources.map((s) => [
          s.id,
          s.name,
          s.baseUrl,
          s.auth.kind === 'basic' ? `basic (${s.auth.username})` : s.auth.kind,
          s.secret,
        ]),
      );
    });

  pacs
    .command('add')
    .description('register (or replace) a DICOMweb source in the per-user sources file (0600)')
    .argument('<id>', 'short name to refer to it, e.g. hospital')
    .argument('<url>', 'the DICOMweb base URL, e.g. https://pacs.example.org/dicom-web')
    .option('--name <name>', 'display name')
    .addOption(
      new Option('--auth <kind>', 'authentication')
        .choices(['none', 'basic', 'bearer'])
        .default('none'),
    )
    .option('--user <name>', 'user name (--auth basic)')
    .option(
      '--password-stdin',
      'read the password from the first line of stdin (else SIMCVD_DICOMWEB_PASSWORD at use)',
    )
    .option(
      '--token-stdin',
      'read the bearer token from the first line of stdin (else SIMCVD_DICOMWEB_TOKEN at use)',
    )
    .option(
      '--timeout <seconds>',
      'fail a request that makes no progress this long (default 30)',
      parseCount('--timeout', 1),
    )
    .addOption(configOption())
    .action(async (id: string, url: string, flags: AddFlags) => {
      if (!pacsSourceIdSchema.safeParse(id).success)
        throw new AppError(
          'BAD_INPUT',
          `"${id}" is not a source ID: use letters, digits, '.', '_' or '-'.`,
        );
      const auth = await authInput(flags);
      const dir = configDirFrom(flags.configDir);
      const source = await saveSource(dir, {
        id,
        baseUrl: url,
        auth,
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.timeout ? { timeoutSeconds: flags.timeout } : {}),
      });
      const summary = summarizeSource(source);
      process.stdout.write(
        `saved source ${source.id} (${source.baseUrl}, ${summary.auth.kind}${summary.secret === 'missing' ? ', no secret stored: set it in the environment' : ''}) in ${sourcesFile(dir)}\n`,
      );
    });

  pacs
    .command('remove')
    .description('forget a registered DICOMweb source')
    .argument('<id>', 'source ID')
    .addOption(configOption())
    .action(async (id: string, flags: { configDir?: string }) => {
      const removed = await removeSource(configDirFrom(flags.configDir), id);
      if (!removed) throw new AppError('NOT_FOUND', `No DICOMweb source "${id}" is registered.`);
      process.stdout.write(`removed source ${id}\n`);
    });

  pacs
    .command('test')
    .description('check that a DICOMweb server answers and accepts the credentials')
    .argument('<server>', 'a source ID or a DICOMweb base URL')
    .addOption(configOption())
    .action(async (server: string, flags: { configDir?: string }) => {
      const client = await clientFor(server, flags.configDir);
      const started = Date.now();
      await client.searchStudies({ limit: 1 });
      process.stdout.write(`${client.server.label} answers (${Date.now() - started} ms)\n`);
    });

  pacs
    .command('partial')
    .description('retrieves an interruption left in a project (the same import resumes them)')
    .argument('<project>', 'project folder')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const partial = await listPartialRetrieves(dir);
      if (flags.json) return printJson({ partial });
      if (partial.length === 0) return void process.stdout.write('no interrupted retrieves\n');
      printTable(
        ['key', 'server', 'series', 'downloaded', 'started'],
        partial.map((p) => [
          p.key,
          p.baseUrl,
          p.seriesInstanceUid,
          `${p.downloaded}/${p.total}`,
          p.startedAt,
        ]),
      );
    });

  pacs
    .command('discard')
    .description("delete an interrupted retrieve's downloaded instances")
    .argument('<project>', 'project folder')
    .argument('<key>', 'its key (see "simcvd pacs partial")')
    .action(async (dir: string, key: string) => {
      if (!(await discardPartial(dir, key)))
        throw new AppError('NOT_FOUND', `No interrupted retrieve "${key}" in ${dir}.`);
      process.stdout.write(`discarded retrieve ${key}\n`);
    });
}

async function searchSeries(
  client: Awaited<ReturnType<typeof clientFor>>,
  filters: PacsStudyFilters,
  signal: AbortSignal,
): Promise<{ series: PacsSeries[]; truncated: boolean }> {
  if (filters.studyInstanceUid) return client.searchSeries(filters, signal);
  // The series of every matching study: QIDO's study filters are reliable at study level.
  const { studies, truncated } = await client.searchStudies(filters, signal);
  const series: PacsSeries[] = [];
  for (const study of studies) {
    const found = await client.searchSeries(
      { studyInstanceUid: study.studyInstanceUid, modality: filters.modality },
      signal,
    );
    series.push(
      ...found.series.map((s) => ({
        ...s,
        patientName: s.patientName ?? study.patientName,
        patientId: s.patientId ?? study.patientId,
      })),
    );
  }
  return { series, truncated };
}

function printSeries(series: PacsSeries[]): void {
  printTable(
    ['patient ID', 'modality', 'number', 'instances', 'description', 'series UID', 'study UID'],
    series.map((s) => [
      s.patientId ?? '',
      s.modality,
      s.seriesNumber === undefined ? '' : String(s.seriesNumber),
      s.instanceCount === undefined ? '' : String(s.instanceCount),
      s.seriesDescription,
      s.seriesInstanceUid,
      s.studyInstanceUid,
    ]),
  );
}

/** The credentials of `pacs add`: secrets only from stdin (never argv, which `ps` shows). */
async function authInput(flags: AddFlags): Promise<PacsAuthInput> {
  if (flags.auth === 'basic') {
    if (!flags.user) throw new AppError('BAD_INPUT', '--auth basic needs --user NAME.');
    return {
      kind: 'basic',
      username: flags.user,
      ...(flags.passwordStdin ? { password: await firstStdinLine('password') } : {}),
    };
  }
  if (flags.auth === 'bearer')
    return {
      kind: 'bearer',
      ...(flags.tokenStdin ? { token: await firstStdinLine('token') } : {}),
    };
  if (flags.user || flags.passwordStdin || flags.tokenStdin)
    throw new AppError(
      'BAD_INPUT',
      'Credentials given with --auth none; choose --auth basic or bearer.',
    );
  return { kind: 'none' };
}

async function firstStdinLine(what: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`${what}: `);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!line) throw new AppError('BAD_INPUT', `No ${what} on stdin.`);
  return line;
}

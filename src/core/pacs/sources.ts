// Registered DICOMweb sources (plain Node): kept per user in <config>/dicomweb-sources.json, a
// file only its owner may read (0600), so secrets never enter a project folder. A server is
// named by a source ID or by URL; credentials come from the stored source, else from the
// environment (SIMCVD_DICOMWEB_TOKEN, or SIMCVD_DICOMWEB_USER + SIMCVD_DICOMWEB_PASSWORD).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  pacsSourceIdSchema,
  type PacsSecretOrigin,
  type PacsSourceInput,
  type PacsSourceSummary,
} from '../../shared/contract/pacs';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { authFromEnv, DICOMWEB_ENV, NO_AUTH, type DicomwebAuth } from './auth';
import { DEFAULT_TIMEOUT_MS, normalizeBaseUrl, serverLabel, type DicomwebServer } from './server';

export const SOURCES_FILE = 'dicomweb-sources.json';

const storedAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('basic'),
    username: z.string().min(1),
    password: z.string().optional(),
  }),
  z.object({ kind: z.literal('bearer'), token: z.string().optional() }),
]);

const storedSourceSchema = z.object({
  id: pacsSourceIdSchema,
  name: z.string().min(1),
  baseUrl: z.string().min(1),
  auth: storedAuthSchema,
  timeoutSeconds: z.number().int().min(1),
  addedAt: z.string(),
});
export type StoredSource = z.infer<typeof storedSourceSchema>;

const sourcesFileSchema = z.object({
  version: z.literal(1),
  sources: z.array(storedSourceSchema),
});

export function sourcesFile(configDir: string): string {
  return path.join(configDir, SOURCES_FILE);
}

export async function readSources(configDir: string): Promise<StoredSource[]> {
  const file = sourcesFile(configDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError(
      'IO_FAILED',
      `Could not read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`,
    );
  }
  await tightenMode(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('CORRUPT_FILE', `${file} is not valid JSON; fix or delete it.`);
  }
  const parsed = sourcesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError(
      'CORRUPT_FILE',
      `${file} is not a valid list of DICOMweb sources (at ${issue.path.join('.') || 'the top'}: ${issue.message}); fix or delete it.`,
    );
  }
  return parsed.data.sources;
}

/** A sources file others can read is made private again (it may hold passwords). */
async function tightenMode(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat && (stat.mode & 0o077) !== 0) await fs.chmod(file, 0o600).catch(() => undefined);
}

async function writeSources(configDir: string, sources: StoredSource[]): Promise<void> {
  await fs.mkdir(configDir, { recursive: true, mode: 0o700 });
  const body = JSON.stringify({ version: 1, sources }, null, 2) + '\n';
  await writeFileAtomic(sourcesFile(configDir), body, { mode: 0o600 });
}

/** Adds or replaces a source. A secret left out keeps the stored one for the same user. */
export async function saveSource(
  configDir: string,
  input: PacsSourceInput,
  now = new Date(),
): Promise<StoredSource> {
  const baseUrl = normalizeBaseUrl(input.baseUrl);
  const sources = await readSources(configDir);
  const previous = sources.find((s) => s.id === input.id);
  const source: StoredSource = {
    id: input.id,
    name: input.name ?? previous?.name ?? input.id,
    baseUrl,
    auth: keepSecret(input.auth, previous?.auth),
    timeoutSeconds: input.timeoutSeconds ?? previous?.timeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000,
    addedAt: previous?.addedAt ?? now.toISOString(),
  };
  await writeSources(configDir, [...sources.filter((s) => s.id !== input.id), source]);
  return source;
}

function keepSecret(
  next: PacsSourceInput['auth'],
  previous?: StoredSource['auth'],
): StoredSource['auth'] {
  if (next.kind === 'basic' && next.password === undefined && previous?.kind === 'basic')
    return previous.username === next.username ? { ...next, password: previous.password } : next;
  if (next.kind === 'bearer' && next.token === undefined && previous?.kind === 'bearer')
    return { ...next, token: previous.token };
  return next;
}

export async function removeSource(configDir: string, id: string): Promise<boolean> {
  const sources = await readSources(configDir);
  const kept = sources.filter((s) => s.id !== id);
  if (kept.length === sources.length) return false;
  await writeSources(configDir, kept);
  return true;
}

/** The environment's secret for a stored source without one (its user name stays its own). */
function envSecret(kind: 'basic' | 'bearer', env: NodeJS.ProcessEnv): string | undefined {
  const value = kind === 'basic' ? env[DICOMWEB_ENV.password] : env[DICOMWEB_ENV.token];
  return value === undefined || (kind === 'bearer' && value === '') ? undefined : value;
}

function secretOrigin(source: StoredSource, env: NodeJS.ProcessEnv): PacsSecretOrigin {
  const auth = source.auth;
  if (auth.kind === 'none') return 'none';
  if (
    (auth.kind === 'basic' && auth.password !== undefined) ||
    (auth.kind === 'bearer' && auth.token)
  )
    return 'stored';
  return envSecret(auth.kind, env) !== undefined ? 'environment' : 'missing';
}

export function summarizeSource(source: StoredSource, env = process.env): PacsSourceSummary {
  return {
    id: source.id,
    name: source.name,
    baseUrl: source.baseUrl,
    auth:
      source.auth.kind === 'basic'
        ? { kind: 'basic', username: source.auth.username }
        : { kind: source.auth.kind },
    secret: secretOrigin(source, env),
    timeoutSeconds: source.timeoutSeconds,
    addedAt: source.addedAt,
  };
}

/** A stored source's credentials; the environment supplies a secret it does not hold. */
function sourceAuth(source: StoredSource, env: NodeJS.ProcessEnv): DicomwebAuth {
  const auth = source.auth;
  if (auth.kind === 'none') return NO_AUTH;
  const secret =
    auth.kind === 'basic'
      ? (auth.password ?? envSecret('basic', env))
      : auth.token || envSecret('bearer', env);
  if (secret !== undefined)
    return auth.kind === 'basic'
      ? { kind: 'basic', username: auth.username, password: secret }
      : { kind: 'bearer', token: secret };
  const variable = auth.kind === 'basic' ? DICOMWEB_ENV.password : DICOMWEB_ENV.token;
  throw new AppError(
    'AUTH_FAILED',
    `DICOMweb source "${source.id}" uses ${auth.kind === 'basic' ? `HTTP basic as "${auth.username}"` : 'a bearer token'} ` +
      `but no ${auth.kind === 'basic' ? 'password' : 'token'} is stored for it or set in ${variable}; ` +
      'store one with "simcvd pacs add" or set the variable.',
  );
}

function fromSource(source: StoredSource, env: NodeJS.ProcessEnv): DicomwebServer {
  return {
    baseUrl: source.baseUrl,
    label: serverLabel(source.baseUrl, source.name),
    auth: sourceAuth(source, env),
    timeoutMs: source.timeoutSeconds * 1000,
    sourceId: source.id,
  };
}

const isUrl = (ref: string) => /^https?:\/\//i.test(ref.trim());

/**
 * The server a person named: a registered source's ID, or a base URL — which takes the
 * credentials of a registered source with that URL, else the environment's.
 */
export async function resolveServer(
  configDir: string | undefined,
  ref: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DicomwebServer> {
  const sources = configDir ? await readSources(configDir) : [];
  if (!isUrl(ref)) {
    const source = sources.find((s) => s.id === ref);
    if (!source)
      throw new AppError(
        'NOT_FOUND',
        `No DICOMweb source "${ref}"${sources.length ? ` (registered: ${sources.map((s) => s.id).join(', ')})` : ''}; ` +
          'give a base URL (http://… or https://…) or register one with "simcvd pacs add".',
      );
    return fromSource(source, env);
  }
  const baseUrl = normalizeBaseUrl(ref);
  const registered = sources.find((s) => s.baseUrl === baseUrl);
  if (registered) return fromSource(registered, env);
  return {
    baseUrl,
    label: baseUrl,
    auth: authFromEnv(env) ?? NO_AUTH,
    timeoutMs: DEFAULT_TIMEOUT_MS,
  };
}

/** The server a study came from (its record keeps the source ID and base URL, no secrets). */
export async function resolveOrigin(
  configDir: string | undefined,
  origin: { sourceId?: string; baseUrl: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<DicomwebServer> {
  const sources = configDir ? await readSources(configDir) : [];
  const byId = sources.find((s) => s.id === origin.sourceId && s.baseUrl === origin.baseUrl);
  if (byId) return fromSource(byId, env);
  return resolveServer(configDir, origin.baseUrl, env);
}

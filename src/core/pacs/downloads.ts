// The download folder of a retrieve (plain Node): <project>/.retrieve/<key>/ holds the
// instances of one series as <SOPInstanceUID>.dcm, each written atomically once it has been
// checked, plus retrieve.json saying what they are. It outlives a crash or a cancel (project
// recovery never touches it), so the same retrieve again only fetches what is missing; it is
// removed once the series is a study. Nothing here is a study: a crash never leaves half of one.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PartialRetrieve } from '../../shared/contract/pacs';
import { AppError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic';
import { readHeader } from '../volume/dicom/header';
import { parseDicomBytes } from '../volume/dicom/parser';

export const RETRIEVE_DIR = '.retrieve';
const MANIFEST = 'retrieve.json';

const manifestSchema = z.object({
  baseUrl: z.string(),
  sourceId: z.string().optional(),
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  total: z.number().int().min(0),
  startedAt: z.string(),
});
export type DownloadManifest = z.infer<typeof manifestSchema>;

export interface DownloadFolder {
  key: string;
  dir: string;
  manifest: DownloadManifest;
}

/** One folder per server and series: the same retrieve finds its own downloads again. */
export function downloadKey(baseUrl: string, seriesInstanceUid: string): string {
  return createHash('sha256').update(`${baseUrl}\n${seriesInstanceUid}`).digest('hex').slice(0, 16);
}

export function retrieveRoot(projectRoot: string): string {
  return path.join(projectRoot, RETRIEVE_DIR);
}

/** A UID is digits and dots, so it is a safe file name; anything else is refused. */
export function instanceFile(dir: string, sopInstanceUid: string): string {
  if (!/^[0-9]+(\.[0-9]+)*$/.test(sopInstanceUid) || sopInstanceUid.length > 64)
    throw new AppError(
      'REMOTE_FAILED',
      `The server listed an instance with the malformed SOPInstanceUID "${sopInstanceUid.slice(0, 80)}".`,
    );
  return path.join(dir, `${sopInstanceUid}.dcm`);
}

export async function openDownload(
  projectRoot: string,
  manifest: Omit<DownloadManifest, 'startedAt'>,
  now = new Date(),
): Promise<DownloadFolder> {
  const key = downloadKey(manifest.baseUrl, manifest.seriesInstanceUid);
  const dir = path.join(retrieveRoot(projectRoot), key);
  const previous = await readManifest(dir);
  const next = { ...manifest, startedAt: previous?.startedAt ?? now.toISOString() };
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(path.join(dir, MANIFEST), next);
  return { key, dir, manifest: next };
}

async function readManifest(dir: string): Promise<DownloadManifest | undefined> {
  try {
    const parsed = manifestSchema.safeParse(
      JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Why the bytes are not that instance of that series (undefined: they are). */
export function instanceProblem(
  bytes: Uint8Array,
  expected: { sopInstanceUid: string; seriesInstanceUid: string },
): string | undefined {
  let header;
  try {
    const parsed = parseDicomBytes(bytes, expected.sopInstanceUid, { headerOnly: true });
    if (!parsed) return 'it is not DICOM';
    header = readHeader(parsed.dataSet, parsed.transferSyntaxUid);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (header.sopInstanceUid !== expected.sopInstanceUid)
    return `it is instance ${header.sopInstanceUid || '(none)'}`;
  if (header.seriesInstanceUid !== expected.seriesInstanceUid)
    return `it belongs to series ${header.seriesInstanceUid || '(none)'}`;
  return undefined;
}

/** True when an earlier run's file is there and is that instance (else it is fetched again). */
export async function hasVerifiedInstance(
  file: string,
  expected: { sopInstanceUid: string; seriesInstanceUid: string },
): Promise<boolean> {
  const bytes = await fs.readFile(file).catch(() => undefined);
  if (!bytes) return false;
  if (instanceProblem(bytes, expected) === undefined) return true;
  await fs.rm(file, { force: true });
  return false;
}

/** The retrieves an interruption left, with how far each got. */
export async function listPartialRetrieves(projectRoot: string): Promise<PartialRetrieve[]> {
  const root = retrieveRoot(projectRoot);
  const keys = await fs.readdir(root).catch(() => [] as string[]);
  const partial: PartialRetrieve[] = [];
  for (const key of keys.sort()) {
    const dir = path.join(root, key);
    const manifest = await readManifest(dir);
    if (!manifest) continue;
    const files = await fs.readdir(dir).catch(() => [] as string[]);
    partial.push({
      key,
      ...manifest,
      downloaded: files.filter((f) => f.endsWith('.dcm')).length,
    });
  }
  return partial;
}

export async function removeDownload(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rmdir(path.dirname(dir)).catch(() => undefined);
}

/** Deletes one interrupted retrieve's instances; false when there was none by that key. */
export async function discardPartial(projectRoot: string, key: string): Promise<boolean> {
  if (!/^[0-9a-f]{16}$/.test(key))
    throw new AppError('BAD_INPUT', `"${key}" is not a retrieve key.`);
  const dir = path.join(retrieveRoot(projectRoot), key);
  const exists = await fs
    .stat(dir)
    .then((s) => s.isDirectory())
    .catch(() => false);
  if (exists) await removeDownload(dir);
  return exists;
}

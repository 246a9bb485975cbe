// Atomic file writes (plain Node): write a temp file beside the target, fsync it, rename it
// over the target, fsync the folder. A crash or a full disk leaves either the old file or the
// new one, never a torn one; a failed write removes its temp file and reports IO_FAILED.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors';

/** Test hook: lets tests simulate a disk that fails mid-write (e.g. ENOSPC). */
export interface WriteFaults {
  beforeRename?: (tempPath: string) => void | Promise<void>;
}
let faults: WriteFaults = {};
export function setWriteFaultsForTesting(next: WriteFaults): void {
  faults = next;
}

/** `mode`: permission bits of the new file (e.g. 0o600 for one only its owner may read). */
export async function writeFileAtomic(
  target: string,
  data: Uint8Array | string,
  options: { mode?: number } = {},
): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    await fs.mkdir(dir, { recursive: true });
    handle = await fs.open(temp, 'wx', options.mode ?? 0o666);
    // The umask cannot widen it, but an explicit mode must hold exactly (not be narrowed).
    if (options.mode !== undefined) await handle.chmod(options.mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await faults.beforeRename?.(temp);
    await fs.rename(temp, target);
    await fsyncDir(dir);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new AppError(
      'IO_FAILED',
      `Could not write ${target} (${code}). Nothing was changed; free disk space or check permissions, then retry.`,
      { cause: error },
    );
  }
}

/** The path of the first NaN or ±Infinity in `value` (JSON would write it as null), if any. */
export function nonFiniteField(value: unknown, at = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : at || '(value)';
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFiniteField(item, at ? `${at}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Writes a record that readers validate with `schema`: it is validated first (so nothing a
 * reader would refuse — a NaN, which JSON turns into null, among it — is ever written).
 */
export async function writeRecordAtomic<T>(
  target: string,
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: T,
): Promise<T> {
  const bad = nonFiniteField(value);
  if (bad)
    throw new AppError(
      'INTERNAL',
      `Refusing to write ${target}: field "${bad}" is not a finite number (JSON would save it as null).`,
    );
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError(
      'INTERNAL',
      `Refusing to write ${target}: field "${issue.path.map(String).join('.') || '(record)'}" ${issue.message}.`,
    );
  }
  await writeJsonAtomic(target, parsed.data);
  return parsed.data;
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable; some platforms (Windows) do not allow it.
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* best effort */
  }
}

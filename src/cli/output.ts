// CLI output helpers (Node): results on stdout, progress and errors on stderr, one error line.
import { AppError, toErrorPayload } from '../core/errors';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Table with aligned columns; `rows` are already strings. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
}

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A log (stderr not a terminal) gets a line at least this often, and at every 5 %. */
export const LOG_PROGRESS_INTERVAL_MS = 30_000;
const LOG_PROGRESS_STEP = 0.05;

/**
 * A one-line progress bar with percentage and ETA: redrawn in place on a terminal; in a log
 * file, one line at the start, at every 5 %, at least every 30 s, and at the end.
 */
export function createProgress(
  label: string,
  options: { sink?: ProgressSink; now?: () => number } = {},
): (done: number, total: number, detail?: string) => void {
  const sink = options.sink ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  let lastDrawn = -Infinity;
  let lastLogged = -Infinity;
  let loggedStep = -1;
  let finished = false;
  return (done, total, detail = '') => {
    if (finished) return;
    const at = now();
    const fraction = total > 0 ? Math.min(done / total, 1) : 1;
    const end = done >= total;
    const step = Math.floor(fraction / LOG_PROGRESS_STEP + 1e-9);
    const due = sink.isTTY
      ? end || at - lastDrawn >= 100
      : end || step > loggedStep || at - lastLogged >= LOG_PROGRESS_INTERVAL_MS;
    if (!due) return;
    lastDrawn = at;
    const width = 24;
    const filled = Math.round(fraction * width);
    const elapsedS = (at - started) / 1000;
    const etaS = fraction > 0 && fraction < 1 ? (elapsedS / fraction) * (1 - fraction) : 0;
    const text =
      `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
      `${done}/${total}${etaS > 0 ? ` ETA ${formatDuration(etaS)}` : ''} ${detail}`;
    if (end) finished = true;
    if (sink.isTTY) {
      sink.write(`\r${text.padEnd(100).slice(0, 100)}`);
      if (end) sink.write('\n');
    } else {
      lastLogged = at;
      loggedStep = step;
      sink.write(text.trimEnd() + '\n');
    }
  };
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Prints one clear error line and sets a non-zero exit code. */
export function reportError(error: unknown): void {
  const { code, message } = toErrorPayload(error);
  process.stderr.write(`simcvd: ${message}\n`);
  if (code === 'INTERNAL' && !(error instanceof AppError) && process.env.SIMCVD_DEBUG) {
    process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  }
  process.exitCode = code === 'BAD_INPUT' ? 2 : 1;
}

/** Parses a whole-number option, refusing anything else with the option's name. */
export function parseCount(name: string, min = 0): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new AppError('BAD_INPUT', `${name} must be a whole number ≥ ${min} (got "${value}").`);
    return n;
  };
}

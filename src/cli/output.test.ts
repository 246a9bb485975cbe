// Unit tests for CLI progress output (pure: a fake clock and sink).
import { describe, expect, it } from 'vitest';
import { createProgress, LOG_PROGRESS_INTERVAL_MS } from './output';

function fakeSink(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, sink: { isTTY, write: (text: string) => lines.push(text) } };
}

describe('createProgress', () => {
  it('logs a line every 30 s even when the percentage barely moves (a log file)', () => {
    let t = 0;
    const { lines, sink } = fakeSink(false);
    const progress = createProgress('train', { sink, now: () => t });
    progress(0, 6000);
    for (let i = 1; i <= 100; i++) {
      t += 10_000; // 1000 s for 100 of 6000 iterations: under 5 %
      progress(i, 6000);
    }
    // 0, then one every 30 s: 1000 s / 30 s ≈ 33 lines.
    expect(lines.length).toBeGreaterThanOrEqual(
      1 + Math.floor(1_000_000 / LOG_PROGRESS_INTERVAL_MS) - 1,
    );
    expect(lines.length).toBeLessThanOrEqual(1 + Math.ceil(1_000_000 / LOG_PROGRESS_INTERVAL_MS));
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(lines.at(-1)).toMatch(/ETA/);
  });

  it('logs each 5 % step once, and the end once', () => {
    let t = 0;
    const { lines, sink } = fakeSink(false);
    const progress = createProgress('predict', { sink, now: () => t });
    for (let i = 0; i <= 200; i++) {
      t += 1;
      progress(i, 200);
    }
    progress(200, 200); // a second "done" prints nothing
    expect(lines.length).toBe(21);
    expect(lines.at(-1)).toMatch(/100% 200\/200/);
  });

  it('redraws in place on a terminal, at most every 100 ms', () => {
    let t = 0;
    const { lines, sink } = fakeSink(true);
    const progress = createProgress('import', { sink, now: () => t });
    for (let i = 0; i < 10; i++) {
      t += 20;
      progress(i, 10);
    }
    progress(10, 10);
    expect(lines.every((l) => l.startsWith('\r') || l === '\n')).toBe(true);
    expect(lines.filter((l) => l.startsWith('\r')).length).toBeLessThanOrEqual(4);
    expect(lines.at(-1)).toBe('\n');
  });
});

import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultComputeThreads, linuxPhysicalCores } from './threads';

const cpu = (n: number, physical: number, core: number) =>
  `processor\t: ${n}\nphysical id\t: ${physical}\ncore id\t\t: ${core}\nflags\t\t: sse\n`;

describe('compute threads', () => {
  it('counts physical cores, not hyper-threads, across sockets', () => {
    // 2 sockets × 2 cores × 2 threads.
    const info = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => cpu(n, n >> 2, (n >> 1) & 1)).join('\n');
    expect(linuxPhysicalCores(info)).toBe(Math.min(4, os.availableParallelism()));
    expect(linuxPhysicalCores('processor\t: 0\n')).toBeUndefined();
  });

  it('defaults to the physical cores minus one, at least one', () => {
    expect(defaultComputeThreads()).toBeGreaterThanOrEqual(1);
    expect(defaultComputeThreads()).toBeLessThanOrEqual(os.availableParallelism());
  });
});

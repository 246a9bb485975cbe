// How many compute threads the engine uses by default (Node, no TF.js): the physical cores
// minus one, so the app and the rest of the desktop stay responsive while it trains. Logical
// cores (hyper-threads) add little to SIMD GEMM throughput and are not counted.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Physical cores of this machine; the logical count where the OS does not say. */
export function physicalCores(): number {
  const logical = os.availableParallelism();
  try {
    if (process.platform === 'linux') return linuxPhysicalCores() ?? logical;
    if (process.platform === 'darwin') {
      const n = Number(execFileSync('sysctl', ['-n', 'hw.physicalcpu'], { encoding: 'utf8' }));
      return Number.isInteger(n) && n > 0 ? n : logical;
    }
  } catch {
    // Any failure to ask: every logical core counts.
  }
  return logical;
}

/** Distinct (physical id, core id) pairs of /proc/cpuinfo, for the CPUs this process may use. */
export function linuxPhysicalCores(
  cpuinfo = readFileSync('/proc/cpuinfo', 'utf8'),
): number | undefined {
  const cores = new Set<string>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(block)?.[1];
    const core = field('core id');
    if (core === undefined) continue;
    cores.add(`${field('physical id') ?? 0}:${core}`);
  }
  if (cores.size === 0) return undefined;
  // A container or taskset may allow fewer CPUs than the machine has.
  return Math.min(cores.size, os.availableParallelism());
}

export function defaultComputeThreads(): number {
  return Math.max(1, physicalCores() - 1);
}

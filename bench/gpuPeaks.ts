// fp32 (non-tensor-core) peak throughput of common GPUs, for bench:train's "fraction of peak":
// WebGPU does not report it, so it is looked up by the adapter's name (vendor data sheets,
// boost clock). --peak-tflops overrides it for any other device.
import type { GpuAdapterInfo } from '../src/engine/backends/webgpu';

const PEAKS: [RegExp, number][] = [
  [/H200/i, 67],
  [/H100.*PCIe/i, 51],
  [/H100/i, 67],
  [/A100/i, 19.5],
  [/L40S/i, 91.6],
  [/L40\b/i, 90.5],
  [/L4\b/i, 30.3],
  [/A10\b/i, 31.2],
  [/T4\b/i, 8.1],
  [/V100/i, 15.7],
  [/RTX 4090/i, 82.6],
  [/RTX 4080/i, 48.7],
  [/RTX 3090/i, 35.6],
  [/RTX 3080/i, 29.8],
  [/RTX A6000/i, 38.7],
  [/RTX A4000/i, 19.2],
];

export function fp32PeakTflops(info: GpuAdapterInfo): number | undefined {
  const name = `${info.description} ${info.device}`;
  return PEAKS.find(([pattern]) => pattern.test(name))?.[1];
}

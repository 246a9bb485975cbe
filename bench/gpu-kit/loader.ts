// How the engine loads its optional packages, for benches and the GPU kit: the WebGPU backend
// is imported statically (so the kit's bundle carries it), anything else as usual.
import * as webgpuBackend from '@tensorflow/tfjs-backend-webgpu';

export async function moduleLoader(specifier: string): Promise<unknown> {
  if (specifier === '@tensorflow/tfjs-backend-webgpu') return webgpuBackend;
  return import(/* @vite-ignore */ specifier);
}

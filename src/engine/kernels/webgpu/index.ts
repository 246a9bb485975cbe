// WebGPU kernels of our own (engine, TF.js): registered once the 'webgpu' backend exists, with
// the program helpers of the tfjs-backend-webgpu module that was loaded for it.
import { registerTwoPassReductions } from './reduce';
import { registerVol2Col } from './vol2col';

export { conv3dVol2Col, setVol2ColBlockBytesForTesting, vol2colApplies } from './vol2col';

export function registerWebGpuKernels(webgpuModule: { webgpu_util: unknown }): void {
  registerVol2Col(webgpuModule.webgpu_util as Parameters<typeof registerVol2Col>[0]);
  registerTwoPassReductions();
}

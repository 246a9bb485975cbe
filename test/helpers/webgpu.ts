// WebGPU in the tests (Node): dawn.node finds Debian chromium's SwiftShader Vulkan driver when
// pointed at it — a software adapter, slow but functionally real. Sets the environment before
// dawn.node loads, and says why when it cannot.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The variables dawn.node needs here; undefined when the driver is missing. */
export function swiftShaderEnv(): Record<string, string> | undefined {
  if (!existsSync(SWIFTSHADER_ICD)) return undefined;
  return {
    VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD,
    XDG_RUNTIME_DIR:
      process.env.XDG_RUNTIME_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'simcvd-xdg-')),
  };
}

/** Applies swiftShaderEnv to this process; returns why WebGPU cannot run here, or null. */
export function useSwiftShader(): string | null {
  const env = swiftShaderEnv();
  if (!env) return `no SwiftShader Vulkan driver at ${SWIFTSHADER_ICD} (apt-get install chromium)`;
  Object.assign(process.env, env);
  return null;
}

// npm run bench:gpu-kit — packs what a GPU machine without network needs to check and time the
// WebGPU engine: a Node binary (this one), the checks and bench:train bundled with TF.js and its
// WebGPU backend (esbuild), the linux-x64 dawn.node, the PyTorch reference scripts, and the
// Vulkan loader packages from apt. Writes out/gpu-kit.tar.xz (at most 64 MiB) and says how to run it.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const LIMIT_BYTES = 64 * 2 ** 20;
const root = path.resolve(import.meta.dirname, '../..');
const work = path.join(root, 'out', 'gpu-kit');
const stage = path.join(work, 'gpu-kit');
rmSync(work, { recursive: true, force: true });
mkdirSync(path.join(stage, 'reference'), { recursive: true });

console.log('bundling the checks and bench:train…');
await build({
  entryPoints: {
    check: path.join(root, 'bench/gpu-kit/check.ts'),
    'train.bench': path.join(root, 'bench/train.bench.ts'),
  },
  outdir: stage,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native or optional packages stay outside; the engine imports them only when asked to.
  external: [
    'webgpu',
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
    '@tensorflow/tfjs-backend-wasm',
  ],
  banner: {
    js: "import { createRequire as __kitRequire } from 'node:module'; const require = __kitRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

console.log('copying dawn.node, Node and the reference scripts…');
const webgpu = path.join(stage, 'node_modules', 'webgpu');
mkdirSync(path.join(webgpu, 'dist', 'linux-x64'), { recursive: true });
for (const file of ['package.json', 'index.js'])
  copyFileSync(path.join(root, 'node_modules/webgpu', file), path.join(webgpu, file));
copyFileSync(
  path.join(root, 'node_modules/webgpu/dist/linux-x64/dawn.node'),
  path.join(webgpu, 'dist/linux-x64/dawn.node'),
);
copyFileSync(process.execPath, path.join(stage, 'node'));
chmodSync(path.join(stage, 'node'), 0o755);
copyFileSync(
  path.join(root, 'bench/reference/train_step_torch.py'),
  path.join(stage, 'reference/train_step_torch.py'),
);
copyFileSync(
  path.join(root, 'test/reference/vnet_model_torch.py'),
  path.join(stage, 'reference/vnet_model_torch.py'),
);
copyFileSync(path.join(root, 'bench/gpu-kit/run.sh'), path.join(stage, 'run.sh'));
chmodSync(path.join(stage, 'run.sh'), 0o755);

console.log('downloading the Vulkan loader packages (apt-get download)…');
const debs = path.join(stage, 'debs');
mkdirSync(debs);
const lists = path.join(work, 'apt-lists');
mkdirSync(path.join(lists, 'partial'), { recursive: true });
const apt = [
  '-oAPT::Architecture=amd64',
  '-oAPT::Architectures=amd64',
  `-oDir::State::Lists=${lists}`,
];
execFileSync('apt-get', [...apt, 'update', '-qq'], { stdio: 'inherit' });
execFileSync('apt-get', [...apt, 'download', 'libvulkan1', 'libegl1', 'libglvnd0'], {
  cwd: debs,
  stdio: 'inherit',
});
writeFileSync(
  path.join(stage, 'README.txt'),
  'SimCVD GPU kit: bash run.sh (see bench/README.md in the repository).\n',
);

const archive = path.join(root, 'out', 'gpu-kit.tar.xz');
execFileSync('tar', ['-cJf', archive, '-C', work, 'gpu-kit'], {
  stdio: 'inherit',
  env: { ...process.env, XZ_OPT: '-9 -T2' },
});
const size = statSync(archive).size;
const listing = readdirSync(stage).join(', ');
console.log(`out/gpu-kit.tar.xz: ${(size / 2 ** 20).toFixed(1)} MiB (${listing})`);
if (size > LIMIT_BYTES) {
  console.error(`the kit is over ${LIMIT_BYTES / 2 ** 20} MiB`);
  process.exitCode = 1;
}
console.log('On the GPU machine: tar -xJf gpu-kit.tar.xz -C /tmp && bash /tmp/gpu-kit/run.sh');

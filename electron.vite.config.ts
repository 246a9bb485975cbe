// Build configuration (electron-vite): main (with the engine worker as a second entry, run in a
// utility process), preload and renderer bundles. The renderer build is also what server mode
// serves to a browser; its index.html gets the Content-Security-Policy meta tag here.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { withCspMeta } from './src/shared/csp';

/** Production builds only: the dev server needs inline scripts (React refresh) and HMR sockets. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'simcvd-csp',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: (html) => withCspMeta(html) },
  };
}

/**
 * electron-vite prepends `const require = createRequire(import.meta.url)` to ESM chunks that call
 * require(); a module of ours declaring the same binding (the DICOM codecs do) then makes the
 * chunk a SyntaxError. Both bind the same function, so the module's own copy is dropped.
 */
function dedupeRequireShim(): Plugin {
  const shim = 'const require = __shims_module__.createRequire(import.meta.url);';
  const own = /^(?:var|let|const) require = createRequire\(import\.meta\.url\);\n/gm;
  return {
    name: 'simcvd-dedupe-require-shim',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle))
        if (chunk.type === 'chunk' && chunk.code.includes(shim))
          chunk.code = chunk.code.replace(own, '');
    },
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Engine process entry (training, prediction), forked by engine/host/caller/client.ts.
          engineWorker: resolve('src/engine/host/worker/entry.ts'),
        },
      },
      externalizeDeps: true,
    },
    plugins: [dedupeRequireShim()],
  },
  preload: {
    build: {
      // A sandboxed preload must be CommonJS.
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react(), contentSecurityPolicy()],
  },
});

import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/**
 * The console's static build: apps/console/dist/index.html and assets/, which the lake serves on 127.0.0.1.
 * The CSP the lake sends allows scripts and styles from 'self' only, plus styles with the page's nonce: Vite writes
 * NONCE_PLACEHOLDER on every <script>, <link> and <meta property="csp-nonce">, and the lake replaces it with a fresh
 * nonce on each response. No module-preload polyfill (it would be an inline script), no data: assets.
 */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/** Marks code that would need Node in the browser; scripts/bundle-size.ts fails a build whose output contains it. */
export const NODE_STUB_MARKER = 'lake-console: a Node built-in reached the browser bundle';

/**
 * `@lakehouse/console-api` re-exports the metrics from `@lakehouse/pipeline`, whose entry also holds Node-side helpers
 * (`node:path`). The console uses none of them and tree-shaking drops them, but Rollup must first resolve every
 * import: this stands in for `node:*` modules with one whose every export throws. The bundle check proves none of it
 * is left.
 */
function nodeBuiltinsStub(): Plugin {
  const id = '\0node-builtin-stub';
  return {
    name: 'lake-console:node-builtins-stub',
    enforce: 'pre',
    resolveId: (source) => (source.startsWith('node:') ? id : null),
    load: (loaded) =>
      loaded === id
        ? {
            code: `export default new Proxy({}, { get: () => () => { throw new Error(${JSON.stringify(NODE_STUB_MARKER)}); } });`,
            syntheticNamedExports: true,
          }
        : null,
  };
}

export default defineConfig({
  plugins: [nodeBuiltinsStub()],
  root: import.meta.dirname,
  base: './',
  cacheDir: '../../node_modules/.vite/apps/console',
  resolve: { conditions: ['@lakehouse/source', ...defaultClientConditions] },
  html: { cspNonce: NONCE_PLACEHOLDER },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // zod (reached through @lakehouse/pipeline, then tree-shaken away) has comments Rollup can't read as annotations.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
});

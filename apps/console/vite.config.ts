import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The console's static build: apps/console/dist/index.html and assets/, which the lake serves on 127.0.0.1.
 * The CSP the lake sends allows scripts and styles from 'self' only, plus styles with the page's nonce: Vite writes
 * NONCE_PLACEHOLDER on every <script>, <link> and <meta property="csp-nonce">, and the lake replaces it with a fresh
 * nonce on each response. No module-preload polyfill (it would be an inline script), no data: assets.
 */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/** What Vite puts in place of a Node built-in in a browser build; scripts/check-dist.ts fails a build that holds it. */
export const NODE_BUILTIN_MARKER = '__vite-browser-external';

export default defineConfig({
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
  },
});

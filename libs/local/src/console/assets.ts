import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { displayPath, LakehouseError } from '@lakehouse/runtime';

/** The nonce placeholder the console's build writes into index.html (Vite's `html.cspNonce`). */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface Asset {
  body: Buffer;
  contentType: string;
  /** Vite's hashed files never change under their name. */
  immutable: boolean;
}

/** The console's built files, read once into memory: URL path → file. Nothing else on disk can be served. */
export interface ConsoleAssets {
  files: ReadonlyMap<string, Asset>;
  /** index.html, with the nonce placeholder each page load fills in. */
  indexHtml: string;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat();
}

export async function loadAssets(dir: string): Promise<ConsoleAssets> {
  const paths = await walk(dir).catch((error: unknown) => {
    throw new LakehouseError('lakehouse', `the console is not built (${displayPath(dir)} is missing): run "nx run console:build"`, { cause: error });
  });
  const files = new Map<string, Asset>();
  for (const path of paths) {
    const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
    files.set(urlPath, {
      body: await readFile(path),
      contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      immutable: urlPath.startsWith('/assets/'),
    });
  }
  const index = files.get('/index.html');
  if (!index) throw new LakehouseError('lakehouse', `the console build in ${displayPath(dir)} has no index.html; run "nx run console:build"`);
  files.delete('/index.html');
  return { files, indexHtml: index.body.toString('utf8') };
}

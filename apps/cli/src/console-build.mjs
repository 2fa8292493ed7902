// @ts-check
/**
 * The console's static build (apps/console/dist), which `lakehouse up` and `lakehouse console` serve: built with
 * Vite on first use and whenever one of its inputs changed since, like the command's own bundles. The new build is
 * written beside the old one and swapped in by renames, so a lake starting meanwhile reads one whole build or none.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIST as CLI_DIST, ROOT } from './bundles.mjs';

const CONSOLE = join(ROOT, 'apps/console');
export const CONSOLE_DIST = join(CONSOLE, 'dist');
const MANIFEST = join(CLI_DIST, 'console-manifest.json');

/** What the build reads: the app, the API types it shares with the lake, the metrics it draws, the installed packages. */
const INPUT_DIRS = ['apps/console', 'libs/console-api/src', 'libs/pipeline/src'];
const NOT_INPUTS = new Set(['dist', 'out-tsc', 'node_modules']);
const INSTALLED = 'node_modules/.package-lock.json';

/** Every input file with its mtime. @returns {Record<string, number>} */
function inputs() {
  /** @type {Record<string, number>} */
  const found = {};
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (NOT_INPUTS.has(entry.name)) continue;
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.spec.ts')) found[path] = statSync(join(ROOT, path)).mtimeMs;
    }
  };
  for (const dir of INPUT_DIRS) walk(dir);
  found[INSTALLED] = statSync(join(ROOT, INSTALLED)).mtimeMs;
  return found;
}

/** @param {Record<string, number>} now */
function isFresh(now) {
  try {
    const built = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    const names = Object.keys(now);
    return existsSync(join(CONSOLE_DIST, 'index.html')) && names.length === Object.keys(built).length && names.every((name) => built[name] === now[name]);
  } catch {
    return false;
  }
}

/**
 * Builds the console if its build is missing or stale.
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function ensureConsoleBuilt(options = {}) {
  const before = inputs();
  if (isFresh(before)) return;
  const started = performance.now();
  options.log?.('building the console (once, after each change to it)…');
  const { build } = await import('vite');
  const next = `${CONSOLE_DIST}.build-${process.pid}`;
  await build({ configFile: join(CONSOLE, 'vite.config.ts'), logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
  const old = `${CONSOLE_DIST}.old-${process.pid}`;
  if (existsSync(CONSOLE_DIST)) renameSync(CONSOLE_DIST, old);
  renameSync(next, CONSOLE_DIST);
  rmSync(old, { recursive: true, force: true });
  // A file changed while the build ran may not be in it: its old mtime makes the next start build again.
  mkdirSync(CLI_DIST, { recursive: true });
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(before, null, 2)}\n`);
  renameSync(tmp, MANIFEST);
  options.log?.(`built the console in ${Math.round(performance.now() - started)} ms (${relative(process.cwd(), CONSOLE_DIST) || '.'})`);
}

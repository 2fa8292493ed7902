// @ts-check
/**
 * The console's page, which `lakehouse up` and `lakehouse console` serve: built with Vite (the same config as
 * `nx run console:build`) on first use and whenever one of its inputs changed since, like the command's own
 * bundles. Each build goes to its own folder and is published by an atomic rename of the manifest, so two commands
 * starting at once never serve half a build.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, publishBuild, ROOT } from './bundles.mjs';

const BUILDS = join(DIST, 'console');
const MANIFEST = join(BUILDS, 'manifest.json');

/** What the build reads: the app, the API types it shares with the lake, the metrics it draws, the installed packages. */
const INPUT_DIRS = ['apps/console', 'libs/console-api/src', 'libs/pipeline/src'];
const NOT_INPUTS = new Set(['dist', 'out-tsc', 'node_modules']);
const INSTALLED = 'node_modules/.package-lock.json';

/** Builds kept besides the current one, for lakes still serving them (each reads its build once, at start). */
const KEEP_BUILDS = 2;

/**
 * @typedef {{ dir: string, inputs: Record<string, number> }} Manifest
 * `dir`: the build's folder under BUILDS; `inputs`: each input with its mtime when the build started.
 */

/** Every input file with its mtime. @returns {Record<string, number>} */
function inputs() {
  /** @type {Record<string, number>} */
  const found = {};
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (NOT_INPUTS.has(entry.name) || entry.name.endsWith('.spec.ts')) continue;
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else found[path] = statSync(join(ROOT, path)).mtimeMs;
    }
  };
  for (const dir of INPUT_DIRS) walk(dir);
  found[INSTALLED] = statSync(join(ROOT, INSTALLED)).mtimeMs;
  return found;
}

/** The published build, if it is whole and was built from these inputs. @param {Record<string, number>} now */
function freshBuild(now) {
  try {
    /** @type {Manifest} */
    const built = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    const names = Object.keys(now);
    const same = names.length === Object.keys(built.inputs).length && names.every((name) => built.inputs[name] === now[name]);
    const dir = join(BUILDS, built.dir);
    return same && existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The folder of a fresh console build: the published one when none of its inputs changed, else a new one.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function consoleBuild(options = {}) {
  const before = inputs();
  const fresh = freshBuild(before);
  if (fresh) return fresh;
  const started = performance.now();
  options.log?.('building the console (once, after each change to it)…');
  const { build } = await import('vite');
  const dir = `build-${Date.now()}-${process.pid}`;
  await build({ configFile: join(ROOT, 'apps/console/vite.config.ts'), logLevel: 'warn', build: { outDir: join(BUILDS, dir), emptyOutDir: true } });
  // A file changed while the build ran may not be in it: its old mtime makes the next start build again.
  /** @type {Manifest} */
  const manifest = { dir, inputs: before };
  publishBuild(BUILDS, manifest, KEEP_BUILDS);
  options.log?.(`built the console in ${Math.round(performance.now() - started)} ms`);
  return join(BUILDS, dir);
}

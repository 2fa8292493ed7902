// @ts-check
/**
 * The `lakehouse` command runs the apps from bundles, not from their TypeScript sources: one file per app loads in
 * a fraction of the time tsx needs to transpile and resolve hundreds of modules at every start. A bundle is built
 * on first use and whenever one of its inputs changed since (a source edit, an `npm ci`), so what runs is always
 * what the sources say. Builds go to their own folder and are published by an atomic rename of the manifest, so
 * two commands starting at once never see half a build.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = join(ROOT, 'apps/cli/dist');
const MANIFEST = join(DIST, 'manifest.json');

/** What the command runs, by the entry that exports its `main(argv, context)`. */
export const ENTRIES = {
  producer: 'apps/producer/src/main.ts',
  lake: 'apps/lake/src/main.ts',
  // Not a command: the process each console query runs in (libs/local/src/query/query-processes.ts starts it).
  'query-process': 'libs/local/src/query/query-process.ts',
};

/**
 * Loaded from node_modules when used, not bundled: native addons (DuckDB's bindings, kinesalite with its LevelDB) and the Athena
 * SDK, which only `query --target aws` needs.
 */
const EXTERNAL = ['@duckdb/node-bindings', 'kinesalite', '@aws-sdk/client-athena'];

/** Every npm install rewrites this file: a changed dependency makes the bundles stale without statting node_modules. */
const INSTALLED = join(ROOT, 'node_modules/.package-lock.json');

/** This file: how the bundles are built (what is left out, the plugins) is an input of every build too. */
const BUILD_SCRIPT = relative(ROOT, fileURLToPath(import.meta.url));

/** Builds kept besides the current one, for commands still running from them (their lazy chunks load later). */
const KEEP_BUILDS = 4;

/**
 * @typedef {{ dir: string, inputs: Record<string, number> }} Manifest
 * `dir`: the build's folder under DIST; `inputs`: each input outside node_modules (and the install marker and this
 * build script), with its mtime when the build started.
 */

/** @returns {Manifest | undefined} */
function readManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
}

/** @param {string} file */
function mtimeOf(file) {
  try {
    return statSync(join(ROOT, file)).mtimeMs;
  } catch {
    return -1; // deleted: stale
  }
}

/** @param {Manifest} manifest */
export function isFresh(manifest) {
  // A build from before the build script was an input could be from another version of it.
  if (!Object.hasOwn(manifest.inputs, BUILD_SCRIPT)) return false;
  return Object.entries(manifest.inputs).every(([file, mtime]) => mtimeOf(file) === mtime);
}

/**
 * Publishes a build in `root`: its manifest renamed into place (readers see the old build or the new one, whole),
 * then all but the newest `keep` other builds removed (commands still running from them load lazy chunks later),
 * except those younger than `minAgeMs`: a command that read the manifest a moment ago is about to load that build,
 * and when many commands start at once on stale bundles, several builds are published within that moment.
 * @param {string} root
 * @param {{ dir: string }} manifest
 * @param {number} keep
 * @param {number} [minAgeMs]
 */
export function publishBuild(root, manifest, keep, minAgeMs = 10 * 60_000) {
  const file = join(root, 'manifest.json');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, file);
  const builds = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('build-') && entry.name !== manifest.dir)
    .map((entry) => ({ name: entry.name, mtime: statSync(join(root, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of builds.slice(keep)) if (Date.now() - old.mtime >= minAgeMs) rmSync(join(root, old.name), { recursive: true, force: true });
}

/**
 * kinesalite as one file beside the chunks (`kinesalite.cjs`, which `@lakehouse/local` loads in its worker when it is
 * there): its 112 files cost the embedded lake's start about 50 ms to load one by one. It picks its actions by name
 * (`require('./actions/' + name)`), which esbuild bundles as a glob once the name has its extension. Its LevelDB
 * binding stays a native module in node_modules.
 * @param {typeof import('esbuild').build} esbuild @param {string} outdir
 */
async function buildKinesalite(esbuild, outdir) {
  const byName = /require\('\.\/(actions|validations)\/' \+ action\)/g;
  await esbuild({
    absWorkingDir: ROOT,
    stdin: { contents: "module.exports = { kinesalite: require('kinesalite'), db: require('kinesalite/db') };", resolveDir: ROOT, loader: 'js' },
    outfile: join(outdir, 'kinesalite.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['leveldown'],
    logLevel: 'warning',
    plugins: [
      {
        name: 'kinesalite-actions',
        setup(build) {
          build.onLoad({ filter: /[\\/]kinesalite[\\/]index\.js$/ }, async (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (source.match(byName)?.length !== 2)
              throw new Error(`kinesalite ${args.path}: its actions are no longer required by name; update buildKinesalite`);
            return { contents: source.replace(byName, "require('./$1/' + action + '.js')"), loader: 'js' };
          });
        },
      },
    ],
  });
}

/**
 * Bundles entries as the command runs them (ES modules, split into shared chunks, the libraries' sources, native addons
 * and the Athena SDK left out) into `outdir`, with kinesalite's bundle beside them; returns esbuild's result.
 * @param {Record<string, string>} entryPoints @param {string} outdir
 */
export async function bundle(entryPoints, outdir) {
  const { build: esbuild } = await import('esbuild');
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    conditions: ['@lakehouse/source'],
    external: EXTERNAL,
    // CommonJS dependencies (the AWS SDK, faker) call require() for Node's built-ins.
    banner: { js: "import { createRequire as __lakehouseRequire } from 'node:module'; const require = __lakehouseRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  await buildKinesalite(esbuild, outdir);
  return result;
}

/**
 * Bundles every app into a new folder and publishes it; returns the new manifest.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<Manifest>}
 */
export async function build(options = {}) {
  const started = performance.now();
  const dir = `build-${Date.now()}-${process.pid}`;
  const startedAt = Date.now();
  const result = await bundle(ENTRIES, join(DIST, dir));
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  const inputs = [...sources, relative(ROOT, INSTALLED), BUILD_SCRIPT];
  // A file changed while the build ran may not be in it: recorded as stale, so the next command builds again.
  const mtimes = inputs.map((file) => [file, mtimeOf(file) < startedAt ? mtimeOf(file) : -2]);
  /** @type {Manifest} */
  const manifest = { dir, inputs: Object.fromEntries(mtimes) };
  publishBuild(DIST, manifest, KEEP_BUILDS);
  options.log?.(`built the lakehouse command's bundles in ${Math.round(performance.now() - started)} ms`);
  return manifest;
}

/**
 * The bundle of an app, fresh: the current build when none of its inputs changed, else a new one.
 * @param {keyof typeof ENTRIES} app
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function bundleOf(app, options = {}) {
  mkdirSync(DIST, { recursive: true });
  const current = readManifest();
  const bundle = current && join(DIST, current.dir, `${app}.mjs`);
  if (current && bundle && isFresh(current) && existsSync(bundle)) return bundle;
  return join(DIST, (await build(options)).dir, `${app}.mjs`);
}

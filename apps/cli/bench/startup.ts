/**
 * `nx run cli:bench`: where the main job's time goes, phase by phase, and the three start-up targets.
 * Every figure is the median of `--runs` runs (a fresh lake folder each), measured here and now: the machine's
 * own speed shows in the first rows (Node alone, npx alone), so the others can be read against them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from '@lakehouse/runtime';
import { build, bundle, DIST } from '../src/bundles.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'apps/cli/bin/lakehouse.mjs');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const progress = (text: string) => process.stderr.isTTY && process.stderr.write(`\r\x1b[K${text}`);

/** Wall milliseconds of a command run to its end (its output discarded); it must succeed. */
function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, CI: 'true', ...env } });
    child
      .on('error', reject)
      .on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

/** The median of `RUNS` runs; `{lake}` in args becomes a fresh lake folder each time. */
async function medianOf(label: string, command: string, args: string[], setup?: () => void): Promise<number> {
  const times: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    progress(`${label}: run ${run}/${RUNS}`);
    setup?.();
    const lake = mkdtempSync(join(tmpdir(), 'startup-lake-'));
    times.push(
      await timeCommand(
        command,
        args.map((a) => (a === '{lake}' ? lake : a)),
      ),
    );
    rmSync(lake, { recursive: true, force: true });
  }
  return median(times);
}

/**
 * The embedded lake, as a send starts it in its own process, from a bundle built as the command's are (kinesalite's
 * bundle beside it): in a fresh Node, the time from spawn to ready, and within it from the call to ready.
 */
async function embeddedLakeStart(): Promise<{ spawnToReady: number; callToReady: number }> {
  // Inside the repository, as the command's bundles are: kinesalite's bundle finds its LevelDB binding in node_modules.
  const out = mkdtempSync(join(DIST, 'bench-embedded-'));
  await bundle({ embedded: 'libs/local/src/embedded/lake.ts' }, out);
  const module = pathToFileURL(join(out, 'embedded.mjs')).href;
  const spawnToReady: number[] = [];
  const callToReady: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    progress(`embedded lake start: run ${run}/${RUNS}`);
    const lake = mkdtempSync(join(tmpdir(), 'startup-lake-'));
    const script = `const { startEmbeddedLake } = await import(${JSON.stringify(module)});
const called = performance.now();
const lake = await startEmbeddedLake({ dataDir: ${JSON.stringify(lake)}, environment: 'dev' });
process.send({ callToReady: performance.now() - called });
await lake.drain();
process.exit(0);`;
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const { callToReady: call } = await new Promise<{ callToReady: number }>((resolve) => child.once('message', (m) => resolve(m as { callToReady: number })));
    spawnToReady.push(performance.now() - started);
    callToReady.push(call);
    await new Promise((resolve) => child.on('exit', resolve));
    rmSync(lake, { recursive: true, force: true });
  }
  rmSync(out, { recursive: true, force: true });
  return { spawnToReady: median(spawnToReady), callToReady: median(callToReady) };
}

/** How long loading a package takes in a fresh Node, beyond Node's own start. */
async function loadCost(pkg: string, bare: number): Promise<number> {
  return (await medianOf(`load ${pkg}`, process.execPath, ['-e', `require(${JSON.stringify(pkg)})`])) - bare;
}

const nodeBare = await medianOf('node', process.execPath, ['-e', '']);
const tsxBare = await medianOf('tsx', process.execPath, ['--import', 'tsx', '-e', '']);
const npxBare = await medianOf('npx', 'npx', ['--no-install', 'tsc', '--version']);
const tscBare = await medianOf('tsc', join(ROOT, 'node_modules/.bin/tsc'), ['--version']);
const nxBare = await medianOf('nx', 'npx', ['nx', 'show', 'projects']);
const loads = [];
for (const pkg of ['@aws-sdk/client-kinesis', '@duckdb/node-api', '@faker-js/faker/locale/en', 'zod', 'kinesalite'])
  loads.push([pkg, await loadCost(pkg, nodeBare)] as const);
progress('bundle build (cold)…');
let started = performance.now();
await build();
const buildMs = performance.now() - started;
const lakeStart = await embeddedLakeStart();
const dryRunTsx = await medianOf('dry run, sources through tsx', process.execPath, [
  '--import',
  'tsx',
  'apps/producer/src/cli.ts',
  '--dry-run',
  '--amount',
  '1',
]);
const dryRunBundle = await medianOf('dry run, bundle', process.execPath, [BIN, 'send', '--dry-run', '--amount', '1']);
const sendTsx = await medianOf('send, sources through tsx', process.execPath, [
  '--import',
  'tsx',
  'apps/producer/src/cli.ts',
  '--amount',
  '10',
  '--data-dir',
  '{lake}',
]);
const sendBundle = await medianOf('send, lakehouse command without npx', process.execPath, [BIN, 'send', '--amount', '10', '--data-dir', '{lake}']);
const sendNpx = await medianOf('npx lakehouse send', 'npx', ['lakehouse', 'send', '--amount', '10', '--data-dir', '{lake}']);
const sendNx = await medianOf('npx nx run producer:send', 'npx', ['nx', 'run', 'producer:send', '--amount', '10', '--data-dir', '{lake}']);
// The first run after `npm ci` on a fresh clone: no bundles and no Nx project graph yet.
progress('first run on a fresh clone…');
rmSync(DIST, { recursive: true, force: true });
rmSync(join(ROOT, '.nx/workspace-data'), { recursive: true, force: true });
const firstLake = mkdtempSync(join(tmpdir(), 'startup-lake-'));
started = performance.now();
execFileSync('npx', ['nx', 'run', 'producer:send', '--amount', '10', '--data-dir', firstLake], {
  cwd: ROOT,
  stdio: 'ignore',
  env: { ...process.env, CI: 'true' },
});
const firstRun = performance.now() - started;
rmSync(firstLake, { recursive: true, force: true });
progress('');

const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const rows: Array<[string, string]> = [
  ['Node alone (node -e "")', ms(nodeBare)],
  ['npx, on top of the command it runs (npx tsc --version vs tsc --version)', ms(npxBare - tscBare)],
  ['Nx, its own start and project graph (npx nx show projects, without npx)', ms(nxBare - (npxBare - tscBare))],
  ['TypeScript transpiled at run time (node --import tsx, on top of Node)', ms(tsxBare - nodeBare)],
  ...loads.map(([pkg, cost]): [string, string] => [`loading ${pkg} (on top of Node)`, ms(cost)]),
  ['building the bundles (cold, both apps)', ms(buildMs)],
  ['embedded lake, in a fresh process: spawn to ready / its start, call to ready (bundle)', `${ms(lakeStart.spawnToReady)} / ${ms(lakeStart.callToReady)}`],
  ['send --dry-run --amount 1: sources through tsx / bundle', `${ms(dryRunTsx)} / ${ms(dryRunBundle)}`],
  ['send --amount 10: sources through tsx (the old way) / bundle', `${ms(sendTsx)} / ${ms(sendBundle)}`],
];
console.log(
  `${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, Node ${process.version}, median of ${RUNS} runs\n`,
);
console.log(renderTable(rows, { header: ['phase', 'time'], align: ['left', 'right'], gap: ' | ' }));
console.log('\nTargets');
for (const [what, figure, target] of [
  ['npx nx run producer:send --amount 10', sendNx, 2_500],
  ['npx lakehouse send --amount 10', sendNpx, 1_500],
  ['first run after npm ci (no bundles, no Nx graph): npx nx run producer:send --amount 10', firstRun, 5_000],
] as const) {
  console.log(`  ${figure <= target ? 'met   ' : 'MISSED'}  ${what}: ${ms(figure)} (target ≤ ${ms(target)})`);
}

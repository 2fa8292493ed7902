// @ts-check
/**
 * What the `lakehouse` command checks of the Node running it, before it loads anything: that it is a supported
 * version (package.json's `engines`), and that V8 got the flags the SQL parser needs at start-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './bundles.mjs';

/**
 * The SQL parser is 23 MB of WebAssembly, which V8 should compile with its baseline compiler only, validating each
 * function when it first runs. The lake sets these flags itself when it loads the parser, but the V8 of Node 24 and
 * later ignores them set at run time: a `lakehouse query` needing the parser then took 1.1 s and 900 MB instead of
 * 0.35 s and 180 MB. So commands that may parse SQL start with them (`@lakehouse/runtime`'s NODE_FLAGS: a test
 * keeps the two equal).
 */
export const NODE_FLAGS = ['--liftoff-only', '--wasm-lazy-validation'];

/**
 * What `up` starts with besides: a lake runs for hours under a steady load, and V8 sizes an isolate's young generation
 * by the machine's memory, letting its two semi-spaces grow to 64 MiB each and giving them back only when idle. The
 * lake's main thread held about 40 MiB live in 150 to 180 MiB of heap, and its RSS swung between 440 and 620 MiB at
 * 1,000 records/s (measured with the soak, `nx run local:bench --only soak`). At 16 MiB a semi-space, scavenges are
 * more frequent and each as short (they copy what is live, not what is allocated). The Kinesis worker has the same
 * bound (KINESIS_WORKER_YOUNG_GENERATION_MIB in @lakehouse/local's kinesalite).
 *
 * And the old generation: on a machine with memory, V8 lets it grow up to 4x what was live after a full GC before
 * the next one (the lake's main thread: 20 MiB live, full GCs at 60; the worker's: 13 and 48), a sawtooth the RSS
 * follows. At 1.3x (a flag, process-wide, so the worker too; not a heap limit, so no new way to run out of memory)
 * full GCs come twice as often, each 5-10 ms, and the RSS over three minutes at 1,000 records/s went from 264-347 MiB
 * to 249-287 MiB.
 */
export const LAKE_FLAGS = ['--max-semi-space-size=16', '--heap-growing-percent=30'];

/** The commands that may load the SQL parser: a query, and the console's SQL view of `up` and `console`. */
const PARSING_COMMANDS = new Set(['query', 'up', 'console']);

/**
 * The V8 flags a command starts with: NODE_FLAGS for one that may parse SQL, and LAKE_FLAGS too for `up`.
 * @param {string | undefined} command
 * @returns {readonly string[]}
 */
export function startFlags(command) {
  if (command === undefined || !PARSING_COMMANDS.has(command)) return [];
  return command === 'up' ? [...NODE_FLAGS, ...LAKE_FLAGS] : NODE_FLAGS;
}

/**
 * Whether to start again with `startFlags`: on Node 24 and later, for a command that has some, when one is missing.
 * The command restarts with `process.execve`, which replaces this process (same pid, same terminal, about 20 ms);
 * where there is none (Windows), it runs as it is, only slower and with V8's default young generation.
 * @param {string | undefined} command @param {readonly string[]} args
 * @param {{ execArgv: readonly string[], nodeVersion: string }} runtime
 */
export function needsRestart(command, args, runtime) {
  if (args.includes('--help')) return false;
  if (majorOf(runtime.nodeVersion) < 24) return false;
  return startFlags(command).some((flag) => !runtime.execArgv.includes(flag));
}

/** @param {string} version `v24.22.3` or `24.22.3` */
function majorOf(version) {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

/**
 * Why this Node can't run the kit, or undefined when it can. `range` is package.json's `engines.node`, a list of
 * `^major.minor.patch` joined by `||` (the only form it uses).
 * @param {string} version @param {string} range
 * @returns {string | undefined}
 */
export function unsupportedNode(version, range) {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split('.').map(Number);
  const supported = range.split('||').map((part) => {
    const match = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
    if (!match) throw new Error(`engines.node: expected ^major.minor.patch joined by ||, got "${range}"`);
    return match.slice(1).map(Number);
  });
  const ok = supported.some(([m = 0, n = 0, p = 0]) => major === m && (minor > n || (minor === n && patch >= p)));
  if (ok) return undefined;
  const lines = supported.map(([m, n, p]) => (n === 0 && p === 0 ? `${m}` : `${m}.${n}+`)).join(', ');
  return `Node ${version} is not supported: the kit runs on Node ${lines} (package.json "engines"); install Node 24 LTS, e.g. with "nvm install" in this folder (.nvmrc)`;
}

/** The range of Node versions the kit supports, from the root package.json. */
export function supportedRange() {
  return /** @type {{ engines: { node: string } }} */ (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))).engines.node;
}

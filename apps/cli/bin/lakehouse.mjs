#!/usr/bin/env node
// @ts-check
/**
 * `lakehouse send|up|console|query`: the kit's one command, for people and scripts. It takes the same flags as the Nx
 * targets (`nx run producer:send`, `lake:up`, `lake:query`), but starts in a fraction of the time, keeps stdout
 * for data (--json, --csv, --dry-run, --echo) and exits with the documented codes (README, "Exit codes").
 */
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleOf } from '../src/bundles.mjs';
import { commands } from '../src/commands.mjs';
import { consoleBuild } from '../src/console-build.mjs';
import { needsRestart, startFlags, supportedRange, unsupportedNode } from '../src/node-runtime.mjs';

/** Each command, the app that runs it, and what it does (for --help): the apps' registries (`apps/<app>/src/commands.json`). */
const COMMANDS = commands();
const width = Math.max(...Object.keys(COMMANDS).map((command) => command.length));

const USAGE = `Usage: lakehouse <command> [options]   (lakehouse <command> --help for its options)

${Object.entries(COMMANDS)
  .map(([command, { summary }]) => `  ${command.padEnd(width)}  ${summary}`)
  .join('\n')}

Stdout carries only data; everything else goes to stderr. Exit codes: see the README ("Exit codes").`;

const [name, ...args] = process.argv.slice(2);

// Before anything loads: an unsupported Node gets one line (exit 5, "what the command needs is not there"), and a
// command that may parse SQL gets the V8 flags it needs, and `up` the bound of its young generation, which only count
// when given at start-up.
const unsupported = unsupportedNode(process.version, supportedRange());
if (unsupported) {
  process.stderr.write(`error: ${unsupported}\n`);
  process.exit(5);
}
if (process.execve && needsRestart(name, args, { execArgv: process.execArgv, nodeVersion: process.version })) {
  process.execve(
    process.execPath,
    [
      process.execPath,
      ...process.execArgv,
      ...startFlags(name).filter((flag) => !process.execArgv.includes(flag)),
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    process.env,
  );
}
// V8 keeps what it compiled of the bundles on disk (Node's compile cache, in the temp folder): each start is faster.
module.enableCompileCache();

/** Whether this command serves the console, whose page must then be built. */
const servesConsole = () => !args.includes('--help') && (name === 'console' || (name === 'up' && !args.includes('--no-console')));

/**
 * The folder of the console's page, built if stale. `up` runs without it if it does not build (the lake's job is
 * delivering, and it says so); `console` is nothing without it.
 * @param {((line: string) => void) | undefined} log
 * @returns {Promise<string | undefined>}
 */
async function buildConsole(log) {
  try {
    return await consoleBuild(log ? { log } : {});
  } catch (error) {
    if (name === 'console') throw error;
    process.stderr.write(`the console did not build (${buildError(error)}); the lakehouse runs without it\n`);
    return undefined;
  }
}

/** @returns {Promise<number>} */
async function run() {
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`error: unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  // --verbose stacks point at the TypeScript sources.
  if (args.includes('--verbose')) process.setSourceMapsEnabled(true);
  // A build takes half a second: a person at a terminal is told why, a script's stderr stays clean.
  const log = process.stderr.isTTY ? (/** @type {string} */ line) => process.stderr.write(`${line}\n`) : undefined;
  const [bundle, consoleDir] = await Promise.all([bundleOf(command.app, log ? { log } : {}), servesConsole() ? buildConsole(log) : undefined]);
  const { main } = await import(pathToFileURL(bundle).href);
  const context = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    consoleDir,
  };
  // A console that did not build is not served (not an older build in its place).
  const lakeArgs = servesConsole() && consoleDir === undefined ? [name, ...args, '--no-console'] : [name, ...args];
  return main(command.app === 'lake' ? lakeArgs : args, context);
}

/** A build error as one line: where in the sources, and what. @param {unknown} error */
function buildError(error) {
  const first = /** @type {{ errors?: Array<{ text: string, location?: { file: string, line: number, column: number } }> }} */ (error).errors?.[0];
  if (!first) return String(/** @type {Error} */ (error).message ?? error).split('\n')[0];
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
  return `the sources do not build (${where}${first.text})`;
}

const code = await run().catch((/** @type {unknown} */ error) => {
  process.stderr.write(`error: ${buildError(error)}${args.includes('--verbose') ? `\n${/** @type {Error} */ (error).stack}` : ''}\n`);
  return 1;
});
// Done: open handles (a half-read stdin, DuckDB's threads, keep-alive sockets) must not keep the process alive.
process.stdout.write('', () => process.exit(code));

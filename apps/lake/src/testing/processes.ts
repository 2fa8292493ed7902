import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '@lakehouse/local';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CLI = resolve(REPO_ROOT, 'apps/lake/src/cli.ts');
/** The `lakehouse` command, as npm installs it: it runs the lake from a bundle of its sources, rebuilt when they change. */
export const LAUNCHER = resolve(REPO_ROOT, 'apps/cli/bin/lakehouse.mjs');

/** A CLI child process with its output collected. */
export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a lake command as users run it, through the `lakehouse` command (from the repository root); `script` runs
 * another entry from its sources instead (node --import tsx, with the V8 flags the command gives the lake).
 */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; script?: string } = {}): CliProcess {
  const command = options.script ? [...NODE_FLAGS, '--import', 'tsx', options.script] : [LAUNCHER];
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs a CLI command to its end. */
export async function runCli(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = startCli(args, env ? { env } : {});
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** Polls until `check` returns a value, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The JSON a file holds once it exists and parses. */
export function waitForJsonFile<T>(path: string, timeoutMs?: number): Promise<T> {
  return waitFor(
    path,
    async () => {
      try {
        return JSON.parse(await readFile(path, 'utf8')) as T;
      } catch {
        return undefined;
      }
    },
    timeoutMs,
  );
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startLakehouse as startLocalLakehouse, type LocalLakehouse } from '@lakehouse/local';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
/** The command as users run it (npm ci links it into node_modules/.bin). */
export const LAKEHOUSE = join(REPO_ROOT, 'node_modules', '.bin', 'lakehouse');

export interface RunningLakehouse {
  process: ChildProcess;
  kinesisEndpoint: string;
  consoleUrl: string;
  stderr(): string;
  /** Ctrl-C: drains, delivers, exits; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Waits for `pattern` in a growing text. */
function waitForLine(child: ChildProcess, text: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${text()}`)), timeoutMs);
    const check = () => {
      const match = pattern.exec(text());
      if (!match) return;
      clearTimeout(timer);
      child.stderr?.off('data', check);
      resolve(match);
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`lakehouse exited (${code}) before ${pattern}:\n${text()}`)));
    check();
  });
}

/**
 * The lakehouse the browser tests look at: `@lakehouse/local` with its console (the page `nx run console:build`
 * built), Kinesis on a free port, registered so that `lakehouse send --data-dir` finds it.
 */
export function startConsoleLake(
  dataDir: string,
  options: { bufferInterval?: number; consolePort?: number; environment?: string } = {},
): Promise<LocalLakehouse> {
  return startLocalLakehouse({
    dataDir,
    ...(options.environment ? { environment: options.environment } : {}),
    port: 0,
    console: true,
    consolePort: options.consolePort ?? 0,
    register: true,
    ...(options.bufferInterval === undefined ? {} : { bufferInterval: options.bufferInterval }),
  });
}

/** `lakehouse up` as a process, with the console in `dataDir` and Kinesis on a free port (the benchmark measures the process); resolves once its banner names both. */
export async function startLakehouseCommand(dataDir: string, extraArgs: string[] = [], consolePort = 0): Promise<RunningLakehouse> {
  const args = ['up', '--port', '0', '--console-port', String(consolePort), '--data-dir', dataDir, ...extraArgs];
  const child = spawn(LAKEHOUSE, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const [, kinesisEndpoint = ''] = await waitForLine(child, () => stderr, /kinesis: +(http:\/\/127\.0\.0\.1:\d+)/, 120_000);
  const [, consoleUrl = ''] = await waitForLine(child, () => stderr, /console: +(http:\/\/127\.0\.0\.1:\d+\/)/, 10_000);
  return {
    process: child,
    kinesisEndpoint,
    consoleUrl,
    stderr: () => stderr,
    stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** `lakehouse send` against the running lakehouse; resolves with its exit code and output. */
export function send(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(LAKEHOUSE, ['send', ...args], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject).on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

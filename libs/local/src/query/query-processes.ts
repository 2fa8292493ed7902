/**
 * The console's queries, each in a child process of its own. Why a process: DuckDB's Node bindings run every query
 * on Node's libuv thread pool (4 threads) and hold a thread until the query ends, and that pool is the one the lake's
 * delivery writes its files with. Measured (see the README): four runaway queries in the lake's process, or in
 * worker threads (which share the pool), stalled every file write for as long as they ran; in child processes the
 * same writes took milliseconds. A process also gives what the other options can't: SIGKILL always stops it
 * (DuckDB's interrupt is checked between tasks, and a process with a query running doesn't even exit), its memory is
 * its own (DuckDB's limit, and a crash there is not the lake's), and it runs at a lower priority than the lake.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { QueryResult } from '@lakehouse/console-api';
import { LakehouseError, type ErrorCode } from '@lakehouse/runtime';
import { NODE_FLAGS } from '../node-flags';
import type { Dialect } from './dialects';
import { timeoutError, type QueryLimits, type TextFormat } from './governance';

/** What a query process runs. */
export interface QueryJob {
  dataDir: string;
  catalogFile: string;
  database?: string;
  dialect: Dialect;
  sql: string;
  format: 'table' | TextFormat;
  /** A table's cap (a page shows at most that many rows). */
  maxRows?: number;
  memoryMiB: number;
}

/** What a query process tells its parent. */
export type QueryProcessMessage =
  | { type: 'result'; result: QueryResult }
  | { type: 'columns'; columns: QueryResult['columns'] }
  | { type: 'done'; rowCount: number; elapsedMs: number }
  | { type: 'error'; code: ErrorCode; message: string };

/** A refusal the console answers with HTTP 429: too many queries at once. */
export class BusyError extends LakehouseError {
  readonly status = 429;
}

export interface QueryProcessLimits extends QueryLimits {
  /** Queries at once; past it a query is refused (BusyError). */
  concurrency: number;
}

/**
 * The query process's entry: beside this module, as TypeScript (run through tsx) from the sources, or as the
 * `lakehouse` command's bundle of it (apps/cli/src/bundles.mjs builds `query-process.mjs` beside its chunks).
 */
function entry(): { script: string; execArgv: string[]; cwd: string } {
  const fromSources = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(fromSources ? './query-process.ts' : './query-process.mjs', import.meta.url));
  // From the sources, tsx resolves from the script's folder up to the repository's node_modules.
  return { script, execArgv: [...NODE_FLAGS, ...(fromSources ? ['--import', 'tsx'] : [])], cwd: dirname(script) };
}

const busyError = (running: number) =>
  new BusyError('query', `${running} queries are running, the most at once: run this one when one of them has finished (or stop one)`);
const startFailure = (error: Error) => new LakehouseError('lakehouse', `the query process could not start: ${error.message}`, { cause: error });

/** Why a query process ended without an answer: its JavaScript heap was full, or its last line on stderr. */
function exitFailure(code: number | null, signal: NodeJS.Signals | null, stderr: string): LakehouseError {
  if (/heap out of memory/i.test(stderr)) return new LakehouseError('query', 'the query needs more memory than its process may use; filter or aggregate more');
  const last = stderr.trim().split('\n').at(-1);
  return new LakehouseError('unexpected', `the query process ended (${signal ?? `exit ${code}`}) without an answer${last ? `: ${last}` : ''}`);
}

/** How long a query process waits for its next query before it leaves. */
const IDLE_MS = 60_000;

/**
 * Runs queries in child processes, under the limits: time (SIGKILL), memory (DuckDB's limit), how many at once. A
 * process that answered a table waits for the next query (it has the SQL parser and DuckDB's module loaded: the next
 * query starts in milliseconds, not the hundreds a process takes to start), for a minute at most; one stopped or
 * that streamed a download is gone.
 */
export class QueryProcesses {
  private readonly busy = new Set<ChildProcess>();
  private readonly idle: Array<{ child: ChildProcess; timer: NodeJS.Timeout }> = [];
  private closed = false;

  constructor(readonly limits: QueryProcessLimits) {}

  /** Queries running now. */
  get running(): number {
    return this.busy.size;
  }

  /** Query processes alive now, running or waiting. */
  get processes(): number {
    return this.busy.size + this.idle.length;
  }

  /** A page's table: the rows up to `maxRows`. `signal` stops it (the page went away). */
  async table(job: Omit<QueryJob, 'format' | 'memoryMiB'>, signal?: AbortSignal): Promise<QueryResult> {
    let result: QueryResult | undefined;
    await this.run({ ...job, format: 'table', memoryMiB: this.limits.memoryMiB }, signal, (message) => {
      if (message.type === 'result') result = message.result;
    });
    if (!result) throw new LakehouseError('unexpected', 'the query process ended without a result');
    return result;
  }

  /**
   * A download: once the query has its first rows, `start` is called with the columns and returns where the text
   * goes (the HTTP response, its headers sent); the rows follow with backpressure. A failure before `start` rejects;
   * after it, the output is destroyed (the download fails) and the promise rejects too.
   */
  async download(
    job: Omit<QueryJob, 'format' | 'memoryMiB'> & { format: TextFormat },
    start: (columns: QueryResult['columns']) => Writable,
    signal?: AbortSignal,
  ): Promise<void> {
    let output: Writable | undefined;
    try {
      await this.run({ ...job, memoryMiB: this.limits.memoryMiB }, signal, (message, child) => {
        if (message.type !== 'columns' || output) return;
        output = start(message.columns);
        // A client gone mid-download: its query is stopped (the signal); a write after that is no error of ours.
        output.on('error', () => undefined);
        child.stdout?.pipe(output, { end: false });
      });
      // Every byte is written: the child ended its stdout before saying it was done, and it was read to its end.
      output?.end();
    } catch (error) {
      output?.destroy();
      throw error;
    }
  }

  /** Stops every query now, and every waiting process (the lake is stopping). */
  close(): void {
    this.closed = true;
    for (const child of this.busy) child.kill('SIGKILL');
    for (const { child, timer } of this.idle.splice(0)) {
      clearTimeout(timer);
      child.kill('SIGKILL');
    }
  }

  /** A waiting process, or a new one. A download gets a new one: its stdout is the download, ended with it. */
  private acquire(format: QueryJob['format']): ChildProcess {
    if (format === 'table') {
      for (let waiting = this.idle.pop(); waiting; waiting = this.idle.pop()) {
        clearTimeout(waiting.timer);
        if (waiting.child.exitCode === null && waiting.child.signalCode === null && waiting.child.connected) return waiting.child;
      }
    }
    const { script, execArgv, cwd } = entry();
    const child = spawn(process.execPath, [...execArgv, script], {
      cwd,
      stdio: ['ignore', format === 'table' ? 'ignore' : 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    child.on('error', () => undefined); // told by the job that runs on it (its exit)
    child.once('exit', () => {
      const at = this.idle.findIndex((waiting) => waiting.child === child);
      if (at >= 0) clearTimeout(this.idle.splice(at, 1)[0]?.timer);
    });
    return child;
  }

  /** A process that answered its table waits for the next query, for a while. */
  private release(child: ChildProcess): void {
    if (this.closed || !child.connected || this.idle.length >= this.limits.concurrency) return void child.kill('SIGKILL');
    const timer = setTimeout(() => {
      const at = this.idle.findIndex((waiting) => waiting.child === child);
      if (at >= 0) this.idle.splice(at, 1);
      child.kill('SIGKILL');
    }, IDLE_MS);
    timer.unref();
    this.idle.push({ child, timer });
  }

  private run(job: QueryJob, signal: AbortSignal | undefined, onMessage: (message: QueryProcessMessage, child: ChildProcess) => void): Promise<void> {
    if (this.closed) return Promise.reject(new LakehouseError('interrupted', 'the lakehouse is stopping'));
    if (this.busy.size >= this.limits.concurrency) return Promise.reject(busyError(this.busy.size));
    if (signal?.aborted) return Promise.reject(new LakehouseError('interrupted', 'the query was stopped'));
    const child = this.acquire(job.format);
    this.busy.add(child);
    let stderr = '';
    const onStderr = (chunk: Buffer) => void (stderr.length < 4096 && (stderr += chunk.toString()));
    child.stderr?.on('data', onStderr);
    return new Promise<void>((resolve, reject) => {
      let failure: LakehouseError | undefined;
      let done = false;
      let stopped = false;
      const stop = (reason: LakehouseError) => {
        failure ??= reason;
        stopped = true;
        child.kill('SIGKILL');
        // What it wrote and no one will read (a page gone, backpressure holding it): dropped, so that its end comes.
        child.stdout?.destroy();
      };
      const timer = setTimeout(() => stop(timeoutError(this.limits.timeoutSeconds)), this.limits.timeoutSeconds * 1000);
      const onAbort = () => stop(new LakehouseError('interrupted', 'the query was stopped: its page went away'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const stdoutClosed = child.stdout ? new Promise<void>((closed) => child.stdout?.once('close', () => closed())) : Promise.resolve();
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        child.off('message', onChildMessage);
        child.off('exit', onExit);
        child.off('error', onError);
        child.stderr?.off('data', onStderr);
        this.busy.delete(child);
        outcome();
      };
      const onChildMessage = (message: QueryProcessMessage) => {
        if (stopped) return; // killed: its exit ends the job
        if (message.type === 'done') done = true;
        if (message.type === 'error') failure ??= new LakehouseError(message.code, message.message);
        onMessage(message, child);
        // A table's process lives on: its answer ends the job. A download's job ends with its process (all bytes read).
        if (job.format !== 'table') return;
        if (message.type === 'result') finish(() => (this.release(child), resolve()));
        else if (message.type === 'error') finish(() => (this.release(child), reject(failure)));
      };
      const onExit = (code: number | null, exitSignal: NodeJS.Signals | null) => {
        void stdoutClosed.then(() =>
          finish(() => {
            if (failure) return reject(failure);
            if (done) return resolve();
            reject(this.closed ? new LakehouseError('interrupted', 'the lakehouse is stopping') : exitFailure(code, exitSignal, stderr));
          }),
        );
      };
      // Spawn failed ('error', no 'exit'), or a process taken from the idle ones died since: the job ends all the same.
      const onError = (error: Error) => void (child.pid === undefined && finish(() => reject(startFailure(error))));
      child.on('message', onChildMessage);
      child.on('exit', onExit);
      child.once('error', onError);
      if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
      child.send(job, (error) => error && stop(startFailure(error)));
    });
  }
}

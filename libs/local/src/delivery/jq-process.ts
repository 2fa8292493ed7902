import { type ChildProcess, type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { batchFilter, batchInput, batchOutcome, batchOutcomes, JQ_VERSION, type Jq, type JqOutcome } from '@lakehouse/firehose';

/**
 * A real jq 1.6 for the MetadataExtraction query, never a hand-written subset: what jq 1.6 refuses, this refuses.
 * Two builds of the same C sources, chosen by findJq():
 * - a jq 1.6 binary, when `jq` on PATH is 1.6 (Debian 12's and Ubuntu 22.04's are): ~1.7x faster per record and
 *   ~10x faster to start than the WebAssembly build;
 * - otherwise npm `jq-web` 0.5.1, jq 1.6 compiled to WebAssembly with Emscripten (the last jq-web release on jq 1.6;
 *   0.6.x embeds jq 1.7, which differs, e.g. `limit(0; …)`, `@base32d`, `pick`), so `npm ci` alone is enough.
 */

/**
 * jq-web runs in a child process of its own: the lake's processes start with `--liftoff-only` (for the SQL parser's
 * WebAssembly, see node-flags.ts), a process-wide V8 flag under which jq runs 2-3x slower; and there it works
 * while the delivery converts and writes the previous page. The child ends when its parent does (its IPC channel
 * closes), even after a kill -9, once the call in flight (synchronous WebAssembly, at most MAX_BATCH_CHARS) is done.
 */
const CHILD = `
const modulePath = process.argv[1];
// jq-web never gives back the stack its arguments take (the filter, each call): past this many bytes the module is
// loaded afresh, well before its 5 MiB WebAssembly stack runs out (a 5 KB filter crashed it at the 1,000th call).
const STACK_BUDGET = 2 * 1024 * 1024;
let jq;
let spent = 0;
function load() {
  delete require.cache[modulePath];
  const realFetch = globalThis.fetch;
  globalThis.fetch = undefined; // the Emscripten loader then reads its .wasm beside itself instead of fetching a path
  const loaded = require(modulePath);
  globalThis.fetch = realFetch;
  process.removeAllListeners('uncaughtException');
  process.removeAllListeners('unhandledRejection');
  spent = 0;
  return new Promise((resolve) => loaded.onInitialized.addListener(() => resolve(loaded)));
}
process.on('disconnect', () => process.exit(0));
process.on('error', () => process.exit(0)); // a reply to a parent that is gone (EPIPE)
let queue = load().then((loaded) => {
  jq = loaded;
  process.send({ ready: true });
});
process.on('message', ({ id, input, filter, flags }) => {
  queue = queue.then(async () => {
    const cost = [filter, ...flags].reduce((n, arg) => n + Buffer.byteLength(arg) + 8, 64);
    if (spent + cost > STACK_BUDGET) jq = await load();
    spent += cost;
    try {
      process.send({ id, output: jq.raw(input, filter, flags) });
    } catch (error) {
      const text = String(error.stack || error.message);
      // A filter that doesn't compile is the query's failure. Anything else is jq-web's own (seen in a 30-minute
      // soak: "<generic error, no stack>" for every call after some 300 s): loaded afresh, the call runs again.
      if (/compile error/.test(text)) return process.send({ id, error: text });
      jq = await load();
      spent = cost;
      try {
        process.send({ id, output: jq.raw(input, filter, flags) });
      } catch (again) {
        process.send({ id, error: String(again.stack || again.message), broken: true });
      }
    }
  });
});
`;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** `broken`: jq-web itself failed, twice (the second time on a fresh load), not the query. */
type Reply = { id: number; output: string } | { id: number; error: string; broken?: true };

/** One jq child process: calls answered one after another. */
class JqChild {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (message: Reply) => {
      const request = this.pending.get(message.id);
      this.pending.delete(message.id);
      this.idle();
      request?.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.failure = new Error(`the jq process ended (${signal ?? `exit ${code}`})`);
      for (const request of this.pending.values()) request.reject(this.failure);
      this.pending.clear();
    });
    this.idle();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(): Promise<JqChild> {
    const module = createRequire(import.meta.url).resolve('jq-web/jq.wasm.js');
    // Plain node: none of this process's flags (--liftoff-only, --import tsx, …).
    const child = spawn(process.execPath, ['-e', CHILD, module], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.unref();
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`jq could not start (exit ${code})`)));
    });
    return new JqChild(child);
  }

  run(input: string, filter: string, flags: string[]): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    const reply = new Promise<Reply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.channel?.ref(); // a call in flight keeps the process alive
    this.child.send({ id, input, filter, flags });
    return reply;
  }

  /** With no call in flight, the child doesn't keep its parent alive. */
  private idle(): void {
    if (this.pending.size === 0) this.child.channel?.unref();
  }
}

/** jq-web over records: a page in one call, each record a JSON string that jq parses itself, in its own `try`. */
const MAX_BATCH_CHARS = 4 * 1024 * 1024;

class JqWebRunner implements Jq {
  readonly engine = 'jq 1.6 (jq-web 0.5.1, WebAssembly)';

  /** Requests that came while a call was running: sent together as the next call (a call costs ~30 ms of set-up). */
  private waiting: Array<{ query: string; inputs: readonly string[]; resolve: (o: JqOutcome[]) => void; reject: (e: unknown) => void }> = [];
  private running = false;

  constructor(private readonly child: JqChild) {}

  /** The child's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  evaluate(query: string, inputs: readonly string[]): Promise<JqOutcome[]> {
    if (inputs.length === 0) return Promise.resolve([]);
    const outcome = new Promise<JqOutcome[]>((resolve, reject) => this.waiting.push({ query, inputs, resolve, reject }));
    if (!this.running) void this.drain();
    return outcome;
  }

  /** Sends what waits, one call per query, until nothing waits. */
  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        // The first waiting request, and those after it with the same query, up to ~4 MB of records (jq-web holds
        // its input as an array of bytes).
        const query = this.waiting[0]?.query ?? '';
        const batch: typeof this.waiting = [];
        let chars = 0;
        for (const w of this.waiting) {
          const size = w.inputs.reduce((n, text) => n + text.length, 0);
          if (w.query !== query || (batch.length > 0 && chars + size > MAX_BATCH_CHARS)) break;
          batch.push(w);
          chars += size;
        }
        this.waiting = this.waiting.slice(batch.length);
        try {
          const outcomes = await this.call(
            query,
            batch.flatMap((w) => w.inputs),
          );
          let at = 0;
          for (const w of batch) {
            w.resolve(outcomes.slice(at, at + w.inputs.length));
            at += w.inputs.length;
          }
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async call(query: string, inputs: readonly string[]): Promise<JqOutcome[]> {
    const reply = await this.child.run(batchInput(inputs), batchFilter(query), ['-c']);
    // jq-web broken even on a fresh load: the delivery fails, saying so, rather than send good records to errors/.
    if ('error' in reply && reply.broken) throw new Error(`jq 1.6 (jq-web) failed: ${oneLine(reply.error)}`);
    // Otherwise only the query itself can fail a whole call (it does not compile): every record fails with it.
    if ('error' in reply) return inputs.map(() => ({ ok: false, error: oneLine(reply.error) }));
    return batchOutcomes(reply.output, inputs.length);
  }

  async compileError(query: string): Promise<string | undefined> {
    const reply = await this.child.run('null', `(${query}) | empty`, ['-c']);
    return 'error' in reply && /compile error/.test(reply.error) ? oneLine(reply.error) : undefined;
  }
}

const execFileText = promisify(execFile);

/** Processes per query: jq works on a page per core while the delivery converts and writes the previous ones. */
const NATIVE_PROCESSES = 2;
/**
 * Records queued in a query's process before a second one starts: below it, the queue is answered (~30 µs a record)
 * sooner than a new jq 1.6 starts (~25 ms), so small pages (two shards' first records) wait in line instead.
 */
const SECOND_PROCESS_LOAD = 1_000;

/**
 * jq buffers what it writes to a pipe until 4 KB fill up (`--unbuffered`, a write per record, costs +55% here): after
 * each call's records comes `null` (records always come as strings), for which the filter yields 64 KB of spaces,
 * pushing the call's last lines out. The reader skips those lines: the batch filter's lines are objects.
 */
const FLUSH_INPUT = 'null';
const flushingFilter = (query: string) => `if type == "string" then (${batchFilter(query)}) else " " * 65536 end`;

/**
 * A jq 1.6 binary over records, one long-lived process per query (jq 1.6 takes ~25 ms to start, loading its
 * builtins): each call's records go in as lines on its stdin (each a JSON string that jq parses itself, in its own
 * `try`) and come out one line each, in order, so calls pipeline. The process ends when its stdin closes, which is
 * when its parent ends, even by SIGKILL.
 */
class NativeJqProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly calls: Array<{ count: number; outcomes: JqOutcome[]; resolve: (o: JqOutcome[]) => void; reject: (e: unknown) => void }> = [];
  private partialLine = '';
  private stderr = '';
  /** Set once the process has ended: it is replaced. */
  ended: Error | undefined;
  /**
   * jq's compile error for the query, or undefined once it runs: a FLUSH_INPUT goes in at the start, and jq either
   * exits 3 with its message or prints (the 64 KB of spaces overflow its buffer at once).
   */
  readonly compileError: Promise<string | undefined>;
  private compiled: ((error: string | undefined) => void) | undefined;

  constructor(path: string, query: string) {
    this.compileError = new Promise((resolve) => {
      this.compiled = resolve;
    });
    this.child = spawn(path, ['-c', flushingFilter(query)], { stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.read(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4096);
    });
    this.child.stdin.on('error', () => undefined); // an early exit is told by 'close', with jq's message
    this.child.on('error', (error) => this.end(error));
    this.child.on('close', (code, signal) => {
      const message = oneLine(this.stderr);
      this.end(new Error(`jq 1.6 (${path}) ended (${signal ?? `exit ${code}`}): ${message}`));
      // Before any output: exit 3 is jq's compile error; anything else is jq failing to run, which calls are told.
      this.compiled?.(code === 3 ? message : undefined);
    });
    this.ref(true);
    this.child.stdin.write(`${FLUSH_INPUT}\n`);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Records in jq, not answered yet. */
  get load(): number {
    return this.calls.reduce((n, call) => n + call.count - call.outcomes.length, 0);
  }

  evaluate(inputs: readonly string[]): Promise<JqOutcome[]> {
    if (this.ended) return Promise.reject(this.ended);
    const outcomes = new Promise<JqOutcome[]>((resolve, reject) => this.calls.push({ count: inputs.length, outcomes: [], resolve, reject }));
    this.ref(true);
    this.child.stdin.write(`${batchInput(inputs)}\n${FLUSH_INPUT}\n`);
    return outcomes;
  }

  private read(chunk: string): void {
    this.compiled?.(undefined);
    this.compiled = undefined;
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue; // FLUSH_INPUT's spaces
      const call = this.calls[0];
      if (!call) return this.fail(`jq 1.6 answered a line it was not asked for: ${line.slice(0, 200)}`);
      try {
        call.outcomes.push(batchOutcome(line));
      } catch {
        return this.fail(`jq 1.6 answered a line that is not the batch filter's: ${line.slice(0, 200)}`);
      }
      if (call.outcomes.length === call.count) {
        this.calls.shift();
        call.resolve(call.outcomes);
      }
    }
    if (this.calls.length === 0) this.ref(false);
  }

  private fail(message: string): void {
    this.end(new Error(message));
    this.child.kill();
  }

  private end(error: Error): void {
    this.ended ??= error;
    for (const call of this.calls.splice(0)) call.reject(this.ended);
  }

  /** With calls in flight, the process and its pipes keep the parent alive; idle, they don't. */
  private ref(busy: boolean): void {
    // Its pipes are sockets, which have ref and unref, though Node's stream types don't say so.
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as Array<{ ref(): void; unref(): void }>;
    for (const handle of handles) {
      if (busy) handle.ref();
      else handle.unref();
    }
  }
}

class NativeJq implements Jq {
  readonly engine: string;
  private readonly processes = new Map<string, NativeJqProcess[]>();
  private readonly compileErrors = new Map<string, Promise<string | undefined>>();

  constructor(private readonly path: string) {
    this.engine = `jq 1.6 (${path})`;
  }

  /** The pid of the first query's first process. */
  get pid(): number | undefined {
    return [...this.processes.values()][0]?.[0]?.pid;
  }

  async evaluate(query: string, inputs: readonly string[]): Promise<JqOutcome[]> {
    if (inputs.length === 0) return [];
    const compileError = await this.compileError(query);
    if (compileError) return inputs.map(() => ({ ok: false, error: compileError }));
    return this.leastLoaded(query).evaluate(inputs);
  }

  /** The least loaded process of the query's, or a new one when it has a queue worth a start (up to NATIVE_PROCESSES); ended ones go. */
  private leastLoaded(query: string): NativeJqProcess {
    const processes = (this.processes.get(query) ?? []).filter((p) => !p.ended);
    this.processes.set(query, processes);
    const least = processes.reduce<NativeJqProcess | undefined>((a, b) => (a && a.load <= b.load ? a : b), undefined);
    if (least && (least.load < SECOND_PROCESS_LOAD || processes.length >= NATIVE_PROCESSES)) return least;
    const started = new NativeJqProcess(this.path, query);
    processes.push(started);
    return started;
  }

  /** Told by the query's first process, once per query: checking it starts jq, off the first page's path. */
  compileError(query: string): Promise<string | undefined> {
    let error = this.compileErrors.get(query);
    if (!error) {
      error = this.leastLoaded(query).compileError;
      this.compileErrors.set(query, error);
    }
    return error;
  }
}

/** Which jq runs the query: `LAKEHOUSE_JQ` names a jq 1.6 binary or `jq-web`; unset, `jq` on PATH if it is 1.6, else jq-web. */
export type JqEngine = { kind: 'binary'; path: string } | { kind: 'jq-web' };

export async function findJq(env: NodeJS.ProcessEnv = process.env): Promise<JqEngine> {
  const chosen = env.LAKEHOUSE_JQ?.trim() || undefined;
  if (chosen === 'jq-web') return { kind: 'jq-web' };
  const path = chosen ?? 'jq';
  const version = await execFileText(path, ['--version'], { timeout: 10_000 }).then(
    (r) => r.stdout.trim(),
    () => undefined,
  );
  if (version === `jq-${JQ_VERSION}`) return { kind: 'binary', path };
  if (chosen)
    throw new Error(
      `LAKEHOUSE_JQ: ${chosen} ${version ? `is ${version}` : 'does not run'}, and Firehose runs jq ${JQ_VERSION}: name a jq ${JQ_VERSION} binary, or jq-web`,
    );
  return { kind: 'jq-web' };
}

export type LoadedJq = Jq & { readonly pid: number | undefined; readonly engine: string };

const loading = new Map<string, Promise<LoadedJq>>();
let found: Promise<JqEngine> | undefined;

/** findJq's choice, made once per process (tried again after a failure). */
function defaultEngine(): Promise<JqEngine> {
  found ??= findJq();
  found.catch(() => {
    found = undefined;
  });
  return found;
}

/** Starts jq once per process and engine (jq-web ~50-100 ms, a binary a few ms); later calls share it. */
export async function loadJq(engine?: JqEngine): Promise<LoadedJq> {
  const chosen = engine ?? (await defaultEngine());
  const key = chosen.kind === 'binary' ? chosen.path : chosen.kind;
  let loaded = loading.get(key);
  if (!loaded) {
    loaded = chosen.kind === 'binary' ? Promise.resolve(new NativeJq(chosen.path)) : JqChild.start().then((child) => new JqWebRunner(child));
    loading.set(key, loaded);
    loaded.catch(() => loading.delete(key));
  }
  return loaded;
}

const started = new Map<string, Promise<Jq>>();

/**
 * jq, once it has compiled the query: once per process and query, so a caller that knows the query early (the
 * embedded lake, while its Kinesis API starts) takes jq's start off the delivery's path.
 */
export function startJq(query: string): Promise<Jq> {
  let jq = started.get(query);
  if (!jq) {
    jq = loadJq().then(async (loaded) => {
      const compileError = await loaded.compileError(query);
      if (compileError) throw new Error(`the partition key query does not compile in jq 1.6: ${compileError}`);
      return loaded;
    });
    started.set(query, jq);
    jq.catch(() => started.delete(query));
  }
  return jq;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { batchFilter, batchInput, batchOutcomes, type Jq, type JqOutcome } from '@lakehouse/firehose';

/**
 * A real jq 1.6 for the MetadataExtraction query: npm `jq-web` 0.5.1, jq 1.6's C sources compiled to WebAssembly
 * with Emscripten (the last jq-web release on jq 1.6; 0.6.x embeds jq 1.7, which differs, e.g. `limit(0; …)`,
 * `@base32d`, `pick`). No hand-written subset: what jq 1.6 refuses, this refuses.
 *
 * It runs in a child process of its own: the lake's processes start with `--liftoff-only` (for the SQL parser's
 * WebAssembly, see node-flags.ts), a process-wide V8 flag under which jq runs 2-3x slower; and there it works
 * while the delivery converts and writes the previous page. The child ends when its parent does (its IPC channel
 * closes), even after a kill -9.
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

/** jq over records: a page in one call, each record a JSON string on stdin that jq parses itself, in its own `try`. */
const MAX_BATCH_CHARS = 4 * 1024 * 1024;

class JqRunner implements Jq {
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
    if ('error' in reply && reply.broken) throw new Error(`jq 1.6 (jq-web) failed: ${reply.error.replace(/\s+/g, ' ').trim()}`);
    // Otherwise only the query itself can fail a whole call (it does not compile): every record fails with it.
    if ('error' in reply) return inputs.map(() => ({ ok: false, error: reply.error.replace(/\s+/g, ' ').trim() }));
    return batchOutcomes(reply.output, inputs.length);
  }

  async compileError(query: string): Promise<string | undefined> {
    const reply = await this.child.run('null', `(${query}) | empty`, ['-c']);
    return 'error' in reply && /compile error/.test(reply.error) ? reply.error.replace(/\s+/g, ' ').trim() : undefined;
  }
}

let loading: Promise<JqRunner> | undefined;

/** Starts the jq process once per process (~50-100 ms); later calls share it. */
export function loadJq(): Promise<Jq & { pid: number | undefined }> {
  loading ??= JqChild.start()
    .then((child) => new JqRunner(child))
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

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
const realFetch = globalThis.fetch;
globalThis.fetch = undefined; // the Emscripten loader then reads its .wasm beside itself instead of fetching a path
const jq = require(process.argv[1]);
globalThis.fetch = realFetch;
process.removeAllListeners('uncaughtException');
process.removeAllListeners('unhandledRejection');
process.on('disconnect', () => process.exit(0));
jq.onInitialized.addListener(() => {
  process.send({ ready: true });
  process.on('message', ({ id, input, filter }) => {
    try {
      process.send({ id, output: jq.raw(input, filter, ['-c']) });
    } catch (error) {
      process.send({ id, error: String(error.stack || error.message) });
    }
  });
});
`;

type Reply = { id: number; output: string } | { id: number; error: string };

class JqProcess implements Jq {
  /** The jq child's process id. */
  readonly pid: number | undefined;

  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;

  constructor(private readonly child: ChildProcess) {
    this.pid = child.pid;
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

  async evaluate(query: string, inputs: readonly string[]): Promise<JqOutcome[]> {
    if (inputs.length === 0) return [];
    const reply = await this.run(batchInput(inputs), batchFilter(query));
    // Only the query itself can fail the whole call (it does not compile): every record fails with it.
    if ('error' in reply) return inputs.map(() => ({ ok: false, error: reply.error.replace(/\s+/g, ' ').trim() }));
    return batchOutcomes(reply.output, inputs.length);
  }

  async compileError(query: string): Promise<string | undefined> {
    const reply = await this.run('null', `(${query}) | empty`);
    return 'error' in reply && /compile error/.test(reply.error) ? reply.error.replace(/\s+/g, ' ').trim() : undefined;
  }

  private run(input: string, filter: string): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    const reply = new Promise<Reply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.channel?.ref(); // a call in flight keeps the process alive
    this.child.send({ id, input, filter });
    return reply;
  }

  /** With no call in flight, the child doesn't keep its parent alive. */
  private idle(): void {
    if (this.pending.size === 0) this.child.channel?.unref();
  }
}

let loading: Promise<Jq & { pid: number | undefined }> | undefined;

/** Starts the jq process once per process (~100 ms); later calls share it. */
export function loadJq(): Promise<Jq & { pid: number | undefined }> {
  loading ??= startJq().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function startJq(): Promise<JqProcess> {
  const module = createRequire(import.meta.url).resolve('jq-web/jq.wasm.js');
  // Plain node: none of this process's flags (--liftoff-only, --import tsx, …).
  const child = spawn(process.execPath, ['-e', CHILD, module], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  child.unref();
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`jq could not start (exit ${code})`)));
  });
  return new JqProcess(child);
}

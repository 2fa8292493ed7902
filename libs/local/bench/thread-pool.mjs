// Where a runaway query can run without starving the lake's file writes: run as `node thread-pool.mjs <mode>`, it
// prints the time of 20 small file writes idle and with 4 runaway DuckDB queries running in that mode, as JSON, then
// kills itself (a process whose DuckDB still runs a query does not exit). `governance.ts` runs it per mode.
import { spawn } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const mode = process.argv[2];
const RUNAWAY = 'SELECT count(*) FROM range(10000000000000)';
const STALLED_MS = 5000;
const dir = await mkdtemp(join(tmpdir(), 'lake-bench-pool-'));

async function timeWrites() {
  const started = performance.now();
  const writes = Promise.all(Array.from({ length: 20 }, (_, i) => writeFile(join(dir, `f${i}`), 'x'.repeat(100_000))));
  return Promise.race([writes.then(() => performance.now() - started), new Promise((resolve) => setTimeout(() => resolve(null), STALLED_MS))]);
}

// Each says when its query starts (a worker by message, a process on stdout): the writes are timed once all four run.
const script = (say) =>
  `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const i = await DuckDBInstance.create(':memory:'); const c = await i.connect(); const q = c.run('${RUNAWAY}'); ${say}; await q; })`;
const started = [];
const idle = await timeWrites();
const others = [];
if (mode === 'in-process') {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  for (let i = 0; i < 4; i++) void (await instance.connect()).run(RUNAWAY).catch(() => undefined);
} else if (mode === 'worker-threads') {
  for (let i = 0; i < 4; i++) {
    const worker = new Worker(script("require('node:worker_threads').parentPort.postMessage('started')"), { eval: true });
    started.push(new Promise((resolve) => worker.once('message', resolve)));
    others.push(worker);
  }
} else if (mode === 'child-processes') {
  for (let i = 0; i < 4; i++) {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script("process.stdout.write('started')")], { stdio: ['ignore', 'pipe', 'ignore'] });
    started.push(new Promise((resolve) => child.stdout.once('data', resolve)));
    others.push(child);
  }
} else throw new Error(`unknown mode ${mode}`);
await Promise.all(started);
await new Promise((resolve) => setTimeout(resolve, 500));
const loaded = await timeWrites();
process.stdout.write(`${JSON.stringify({ mode, idleMs: idle, withRunawaysMs: loaded })}\n`);
for (const other of others) {
  if ('kill' in other) other.kill('SIGKILL');
  else void other.terminate();
}
// The pool may still be stalled: the writes' folder goes if it can within a second.
await Promise.race([rm(dir, { recursive: true, force: true }), new Promise((resolve) => setTimeout(resolve, 1000))]);
process.kill(process.pid, 'SIGKILL');

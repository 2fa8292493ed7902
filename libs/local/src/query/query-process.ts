/**
 * Console queries in a process of their own, one at a time (see query-processes.ts for why): it takes each job from the parent by
 * IPC, runs it in a DuckDB of its own under the memory limit, and answers by IPC (a page's table) or writes the rows
 * as CSV/JSON to stdout, which the parent pipes to the download with backpressure. It runs at a lower priority than
 * the lake, and dies with the parent: the lake stops it with SIGKILL at its time limit, when the page goes away, or
 * when the lake stops.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';
import { LakehouseError } from '@lakehouse/runtime';
import { QueryEngine } from './engine';
import { textSink, type TextFormat } from './governance';
import type { QueryJob, QueryProcessMessage } from './query-processes';

/**
 * The lowest priority, which DuckDB's threads inherit (they start later): the lake's delivery gets the CPU first, and
 * a console query gets what the lake leaves (at nice 10, 4 runaway queries held delivery to 0.82-0.85x of idle).
 */
const QUERY_NICENESS = 19;

/**
 * Half the cores for each query's DuckDB (one on two cores): four console queries at once then leave the lake cores
 * of its own, not only a higher priority (measured on a loaded 2-core machine: delivery at 0.59x of idle with four
 * runaway queries at DuckDB's default of a thread per core).
 */
const QUERY_THREADS = Math.max(1, Math.floor(availableParallelism() / 2));

const send = (message: QueryProcessMessage) => new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));

const openEngine = (job: QueryJob) =>
  QueryEngine.open(job.dataDir, job.catalogFile, {
    ...(job.database ? { database: job.database } : {}),
    dialect: job.dialect,
    memoryLimitMiB: job.memoryMiB,
    threads: QUERY_THREADS,
  });

/** A page's table: the rows up to its cap, by IPC. */
async function runTable(job: QueryJob): Promise<void> {
  const engine = await openEngine(job);
  try {
    await send({ type: 'result', result: await engine.query(job.sql, job.maxRows === undefined ? {} : { maxRows: job.maxRows }) });
  } finally {
    engine.close();
  }
}

/** A download: the columns by IPC once the first chunk is computed (a query that fails at once fails before any byte), then the text on stdout. */
async function runDownload(job: QueryJob, format: TextFormat): Promise<void> {
  const engine = await openEngine(job);
  try {
    const sink = textSink(format, process.stdout);
    const streamed = await engine.stream(job.sql, {
      columns: async (columns) => {
        await send({ type: 'columns', columns });
        await sink.columns(columns);
      },
      rows: (rows) => sink.rows(rows),
    });
    await sink.end();
    await new Promise<void>((resolve) => process.stdout.end(resolve));
    await send({ type: 'done', rowCount: streamed.rowCount, elapsedMs: streamed.elapsedMs });
  } finally {
    engine.close();
  }
}

/**
 * The whole process at the lowest priority: nice 19, then Linux's SCHED_IDLE where `chrt` is there (util-linux). On
 * Linux a priority is a thread's: the threads started before this (libuv's pool, which runs DuckDB's queries, V8's)
 * keep the lake's unless each is set (measured: the pool's thread running a query stayed at nice 0 when only the
 * process was set); threads started later inherit it. SCHED_IDLE because at nice 19 a lake thread that wakes up can
 * still wait out a query thread's time slice: delivery with 4 runaway queries went from 0.91x of idle to 0.93-0.94x.
 */
function lowerPriority(): void {
  let threads: string[] = [];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    // not Linux: the process's priority is its threads'
  }
  for (const id of [0, ...threads.map(Number)]) {
    try {
      setPriority(id, QUERY_NICENESS);
    } catch {
      // not allowed here: the query runs at the lake's priority
    }
  }
  if (threads.length === 0) return;
  try {
    execFileSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(process.pid)], { stdio: 'ignore', timeout: 5_000 });
  } catch {
    // no chrt: nice 19 alone
  }
}

process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
// One job at a time. After a table the process waits for the next one (the parser and DuckDB's module stay loaded);
// a download ends its stdout, so the process ends with it.
process.once('message', lowerPriority); // before the first job's threads start; later ones inherit it
process.on('message', (job: QueryJob) => {
  const work = job.format === 'table' ? runTable(job) : runDownload(job, job.format);
  work.then(
    () => {
      if (job.format !== 'table') process.exit(0);
    },
    async (error: unknown) => {
      const known = error instanceof LakehouseError;
      await send({ type: 'error', code: known ? error.code : 'unexpected', message: error instanceof Error ? error.message : String(error) });
      if (job.format !== 'table' || !known) process.exit(known ? error.exitCode : 1);
    },
  );
});

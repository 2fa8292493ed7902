import { plainQuery } from '@lakehouse/athena-sql';
import { localLayout } from '@lakehouse/local';
import type { Writable } from 'node:stream';
import { interruptReason, LakehouseError, settingsOfEnvFlag, type Io } from '@lakehouse/runtime';
import type { QuerySettings } from './options';
import type { QueryResult } from '@lakehouse/console-api';
import { render, summary } from './result';

/** Runs the query on Athena (Ctrl-C stops it there too). */
async function runOnAthena(settings: QuerySettings): Promise<QueryResult> {
  const { queryAthena } = await import('./athena');
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    return await queryAthena({
      sql: settings.sql,
      environment: settings.environment,
      dialect: settings.dialect,
      outputsFile: settings.outputsFile,
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', stop);
  }
}

/**
 * A local query, under its limits: a time limit and Ctrl-C interrupt DuckDB (one line each, exit 9 and 130), DuckDB
 * may use at most the memory limit, and CSV/JSON stream to stdout a chunk at a time, waiting for it to drain.
 */
async function runLocal(settings: QuerySettings, io: Io): Promise<number> {
  const stop = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => stop.abort(new LakehouseError('interrupted', `${interruptReason(signal)}: the query was stopped`));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    // A query that needs the SQL parser: its WebAssembly compiles on V8's threads while DuckDB's module loads.
    const { governed, loadTranslator, openQueryEngine, QUERY_LIMITS, streamText } = await import('@lakehouse/local');
    if (settings.dialect === 'athena' && plainQuery(settings.sql) === undefined) void loadTranslator().catch(() => undefined);
    const pipeline = settingsOfEnvFlag(settings.environment);
    const engine = await openQueryEngine(settings.dataDir, localLayout(settings.dataDir, pipeline).catalogFile, {
      database: pipeline.databaseName,
      dialect: settings.dialect,
      memoryLimitMiB: settings.queryMemory ?? QUERY_LIMITS.memoryMiB,
    });
    try {
      const limits = { timeoutSeconds: settings.queryTimeout ?? QUERY_LIMITS.timeoutSeconds, signal: stop.signal };
      const { format } = settings;
      if (format === 'table') {
        const result = await governed(engine, limits, (e) => e.query(settings.sql));
        io.stdout.write(`${render(result, format)}\n`);
        io.stderr.write(`${summary(result)}\n`);
      } else {
        await governed(engine, limits, (e) => streamText(e, settings.sql, format, io.stdout as Writable));
        io.stdout.write('\n');
      }
      return 0;
    } finally {
      engine.close();
    }
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

/** `lakehouse query`: the rows on stdout in the asked format; for a table (people), how many and how fast on stderr. */
export async function runQuery(settings: QuerySettings, io: Io): Promise<number> {
  if (settings.target === 'local') return runLocal(settings, io);
  const result = await runOnAthena(settings);
  io.stdout.write(`${render(result, settings.format)}\n`);
  if (settings.format === 'table') io.stderr.write(`${summary(result)}\n`);
  return 0;
}

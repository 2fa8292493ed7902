import { plainQuery } from '@lakehouse/athena-sql';
import { localLayout } from '@lakehouse/local';
import { settingsOfEnvFlag, type Io } from '@lakehouse/runtime';
import type { QuerySettings } from './options';
import type { QueryResult } from '@lakehouse/console-api';
import { render, summary } from './result';

/** Runs the query where the settings say: the local lake through DuckDB, or Athena (Ctrl-C stops it there too). */
async function runOn(settings: QuerySettings): Promise<QueryResult> {
  if (settings.target === 'aws') {
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
  // A query that needs the SQL parser: its WebAssembly compiles on V8's threads while DuckDB's module loads.
  const { loadTranslator, openQueryEngine } = await import('@lakehouse/local');
  if (settings.dialect === 'athena' && plainQuery(settings.sql) === undefined) void loadTranslator().catch(() => undefined);
  const pipeline = settingsOfEnvFlag(settings.environment);
  const engine = await openQueryEngine(settings.dataDir, localLayout(settings.dataDir, pipeline).catalogFile, {
    database: pipeline.databaseName,
    dialect: settings.dialect,
  });
  try {
    return await engine.query(settings.sql);
  } finally {
    engine.close();
  }
}

/** `lakehouse query`: the rows on stdout in the asked format; for a table (people), how many and how fast on stderr. */
export async function runQuery(settings: QuerySettings, io: Io): Promise<number> {
  const result = await runOn(settings);
  io.stdout.write(`${render(result, settings.format)}\n`);
  if (settings.format === 'table') io.stderr.write(`${summary(result)}\n`);
  return 0;
}

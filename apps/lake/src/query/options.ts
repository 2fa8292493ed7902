import { resolve } from 'node:path';
import { stackOutputsFile } from '@lakehouse/pipeline';
import { COMMON_FLAGS, flagHelp, parseFlags, repositoryRoot, settingsOfEnvFlag, usageError, type Flags } from '@lakehouse/runtime';
import { dataDirOf } from '@lakehouse/local';
import type { Dialect } from '@lakehouse/local';
import type { OutputFormat } from './result';
import { QUERY_LIMIT_FLAGS, queryLimitsOf } from './limit-flags';

const FLAGS = {
  ...COMMON_FLAGS,
  sql: { type: 'string', value: 'SQL', help: 'the SQL as an option instead of the words after the command' },
  json: { type: 'boolean', help: 'print the rows as a JSON array on stdout' },
  csv: { type: 'boolean', help: 'print the rows as CSV on stdout' },
  target: { type: 'string', value: 'local|aws', help: 'the local lake with DuckDB (default), or Athena in the deployed stack' },
  dialect: {
    type: 'string',
    value: 'athena|duckdb',
    help: "Athena's SQL (default; the same text runs locally and with --target aws), or DuckDB's own (locally, or with --target aws in the stack's DuckDB workgroup)",
  },
  outputs: { type: 'string', value: 'FILE', help: "the deployed stack's outputs (default cdktf.out/outputs-lakehouse-<env>.json)" },
  ...QUERY_LIMIT_FLAGS,
} as const satisfies Flags;

/** What `lakehouse query` was asked to do, checked. */
export interface QuerySettings {
  sql: string;
  environment: string;
  dataDir: string;
  format: OutputFormat;
  target: 'local' | 'aws';
  dialect: Dialect;
  outputsFile: string;
  verbose: boolean;
  /** Locally: seconds before the query is stopped, MiB it may use (`QUERY_LIMITS` when absent). */
  queryTimeout?: number;
  queryMemory?: number;
}

export function usage(): string {
  return [
    'Usage: lakehouse query "SQL" [options]   (or: nx run lake:query "SQL" [options])',
    '',
    "SQL over the lake, in Athena's SQL (engine v3, Trino): run locally by DuckDB over the Parquet tree (tables events",
    'and <database>.events), read-only and sandboxed; or on Athena with --target aws. The rows go to stdout (a table,',
    '--json or --csv); the row count and time to stderr.',
    '',
    flagHelp(FLAGS),
  ].join('\n');
}

export function parseQueryArgs(argv: readonly string[], cwd: string): QuerySettings | 'help' {
  const { values, positionals } = parseFlags(FLAGS, argv, { positionals: true });
  if (values.help) return 'help';
  const sql = (values.sql ?? positionals.join(' ')).trim();
  if (!sql) throw usageError('give the SQL, e.g. lakehouse query "SELECT status, count(*) FROM events GROUP BY status"');
  if (values.json && values.csv) throw usageError('--json and --csv: choose one');
  const target = values.target ?? 'local';
  if (target !== 'local' && target !== 'aws') throw usageError(`--target: expected local or aws, got "${target}"`);
  const dialect = values.dialect ?? 'athena';
  if (dialect !== 'athena' && dialect !== 'duckdb') throw usageError(`--dialect: expected athena or duckdb, got "${dialect}"`);
  const environment = settingsOfEnvFlag(values.env).environment;
  const limits = queryLimitsOf(values);
  if (target === 'aws' && Object.keys(limits).length > 0)
    throw usageError(
      `--${limits.queryTimeout === undefined ? 'query-memory' : 'query-timeout'}: limits a local query; with --target aws the Athena workgroup sets the limits`,
    );
  return {
    sql,
    environment,
    dataDir: dataDirOf(values['data-dir'], cwd),
    format: values.json ? 'json' : values.csv ? 'csv' : 'table',
    target,
    dialect,
    outputsFile: values.outputs ? resolve(cwd, values.outputs) : resolve(repositoryRoot() ?? cwd, stackOutputsFile(environment)),
    verbose: values.verbose === true,
    ...limits,
  };
}

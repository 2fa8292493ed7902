/**
 * The SQL a local query is written in: Athena's (engine v3, Trino), translated for DuckDB, with results shown as
 * Athena shows them; or DuckDB's own, run as written and shown as DuckDB shows it.
 */
export type Dialect = 'athena' | 'duckdb';
export const DIALECTS: readonly Dialect[] = ['athena', 'duckdb'];

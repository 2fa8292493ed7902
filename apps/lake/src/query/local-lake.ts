import type { DuckDBConnection } from '@duckdb/node-api';
import { displayPath, LakehouseError } from '@lakehouse/runtime';
import { openDuckDb, quoteIdentifier, quoteLiteral, type DuckDbSession } from '../duckdb';
import { readCatalog, tableSource, type TableSource } from '../lakehouse/catalog';
import type { QueryResult } from './result';

/** The glob of a table's objects: every Parquet file in any folder under its location. */
function globOf(source: TableSource): string {
  return `${source.folder}/**/*.parquet`;
}

function readParquet(source: TableSource, unionByName: boolean): string {
  // Partition columns typed as in Glue: without hive_types, zero-padded hour=09 folders come back as VARCHAR.
  const hiveTypes = source.partitions.map((p) => `${quoteLiteral(p.name)}: ${p.duckdbType}`).join(', ');
  return `read_parquet(${quoteLiteral(globOf(source))}, hive_partitioning = true, hive_types = {${hiveTypes}}${unionByName ? ', union_by_name = true' : ''})`;
}

/** The table as Athena shows it: the catalog's columns, typed as the catalog says, then the partition columns. */
function viewSql(source: TableSource, unionByName: boolean): string {
  const columns = [...source.columns, ...source.partitions].map((c) => `CAST(${quoteIdentifier(c.name)} AS ${c.duckdbType}) AS ${quoteIdentifier(c.name)}`);
  return `SELECT ${columns.join(', ')} FROM ${readParquet(source, unionByName)}`;
}

/** An empty table with the catalog's columns, for a table with no objects yet. */
function emptyViewSql(source: TableSource): string {
  const columns = [...source.columns, ...source.partitions].map((c) => `CAST(NULL AS ${c.duckdbType}) AS ${quoteIdentifier(c.name)}`);
  return `SELECT ${columns.join(', ')} WHERE false`;
}

/**
 * Turns DuckDB's message about a damaged file into one line naming the file and what to do; other errors keep
 * DuckDB's own message (its SQL dialect is the local one).
 */
function describeQueryError(error: unknown, dataDir: string): LakehouseError {
  if (error instanceof LakehouseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const damaged = /^(?:Invalid Input|IO) Error: (.+?)[:,]? '([^']+\.parquet)'/.exec(message);
  if (damaged?.[2]?.startsWith(dataDir)) {
    const reason = (damaged[1] ?? '').replace(/ in file$/, '');
    return new LakehouseError('lakehouse', `corrupt Parquet file ${displayPath(damaged[2])} (${reason}); move it out of the lake or delete it, then run the query again`, {
      cause: error,
    });
  }
  return new LakehouseError('query', message.split('\n')[0] ?? message, { cause: error });
}

/**
 * Defines `<database>.<table>`. By default DuckDB takes the columns from the first file and prunes the other folders
 * without opening them; `unionByName` instead reads every file's columns by name, which a table needs once some
 * files lack a column added to the schema since they were written.
 */
async function defineTable(connection: DuckDBConnection, source: TableSource, unionByName = false): Promise<void> {
  const schema = quoteIdentifier(source.database);
  const view = `${schema}.${quoteIdentifier(source.table)}`;
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const create = (sql: string) => connection.run(`CREATE OR REPLACE VIEW ${view} AS ${sql}`);
  try {
    await create(viewSql(source, unionByName));
  } catch (error) {
    const message = (error as Error).message;
    if (/No files found that match the pattern/.test(message)) {
      // No object yet: the table exists and is empty, as in Athena.
      await create(emptyViewSql(source));
    } else if (!unionByName && /^Binder Error/.test(message)) {
      // The first file lacks a column of the table.
      await create(viewSql(source, true));
    } else {
      throw error;
    }
  }
}

/** DuckDB's complaint when a later file lacks a column the first file has (the schema grew since). */
const SCHEMA_MISMATCH = /schema mismatch in glob/;

/** A DuckDB session over the local lake: every catalog table as `<database>.<table>`, and as `<table>` alone. */
export class LocalLake {
  private readonly connection: DuckDBConnection;

  private constructor(
    private readonly session: DuckDbSession,
    private readonly sources: TableSource[],
    readonly dataDir: string,
  ) {
    this.connection = session.connection;
  }

  /** `database` (the environment's) owns the short table names when several databases have the same table. */
  static async open(dataDir: string, catalogFile: string, database?: string): Promise<LocalLake> {
    const catalog = await readCatalog(catalogFile);
    if (!catalog) {
      throw new LakehouseError('missing', `no catalog at ${displayPath(catalogFile)}: nothing has been delivered here yet; send records with "nx run producer:send" (or pass --data-dir)`);
    }
    const sources = Object.values(catalog.databases)
      .flatMap(({ tables }) => Object.values(tables).map((table) => tableSource(table, dataDir)))
      .sort((a, b) => Number(b.database === database) - Number(a.database === database));
    const session = await openDuckDb();
    const { connection } = session;
    const lake = new LocalLake(session, sources, dataDir);
    try {
      const shortNames = new Set<string>();
      for (const source of sources) {
        await defineTable(connection, source);
        // The first database to name a table owns its short name: the environment's, then in catalog order.
        if (!shortNames.has(source.table)) {
          shortNames.add(source.table);
          await connection.run(`CREATE OR REPLACE VIEW main.${quoteIdentifier(source.table)} AS SELECT * FROM ${quoteIdentifier(source.database)}.${quoteIdentifier(source.table)}`);
        }
      }
    } catch (error) {
      lake.close();
      throw describeQueryError(error, dataDir);
    }
    return lake;
  }

  async query(sql: string): Promise<QueryResult> {
    try {
      return await this.run(sql);
    } catch (error) {
      if (!SCHEMA_MISMATCH.test((error as Error).message)) throw describeQueryError(error, this.dataDir);
    }
    try {
      for (const source of this.sources) await defineTable(this.connection, source, true);
      return await this.run(sql);
    } catch (error) {
      throw describeQueryError(error, this.dataDir);
    }
  }

  private async run(sql: string): Promise<QueryResult> {
    const started = performance.now();
    const reader = await this.connection.runAndReadAll(sql);
    const types = reader.columnTypes();
    const columns = reader.columnNames().map((name, i) => ({ name, type: String(types[i] ?? 'VARCHAR') }));
    const rows = reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value))));
    return { columns, rows, elapsedMs: performance.now() - started };
  }

  close(): void {
    this.session.close();
  }
}

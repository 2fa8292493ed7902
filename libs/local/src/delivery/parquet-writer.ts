import { stat } from 'node:fs/promises';
import { DuckDBDateValue, DuckDBTimestampValue, type DuckDBAppender } from '@duckdb/node-api';
import type { CellValue } from '@lakehouse/firehose';
import type { ColumnKind, ParquetColumn } from '@lakehouse/schema';
import { openDuckDb, quoteIdentifier, quoteLiteral, type DuckDbSession } from '../duckdb';

type Append = (appender: DuckDBAppender, value: CellValue) => void;

/** How a converted value goes into DuckDB, per column kind (see CellValue for each kind's JS type). */
const APPEND: Readonly<Record<ColumnKind, Append>> = {
  string: (a, v) => a.appendVarchar(v as string),
  timestamp: (a, v) => a.appendTimestamp(new DuckDBTimestampValue(v as bigint)),
  date: (a, v) => a.appendDate(new DuckDBDateValue(v as number)),
  bigint: (a, v) => a.appendBigInt(v as bigint),
  double: (a, v) => a.appendDouble(v as number),
  boolean: (a, v) => a.appendBoolean(v as boolean),
};

/**
 * Writes rows as a Snappy-compressed Parquet file through DuckDB (appender, then COPY), with the table's column
 * types and key-value metadata. One DuckDB instance serves every delivery.
 */
export class ParquetWriter {
  private writes = 0;

  private constructor(
    private readonly session: DuckDbSession,
    private readonly columns: readonly ParquetColumn[],
  ) {}

  static async create(columns: readonly ParquetColumn[]): Promise<ParquetWriter> {
    return new ParquetWriter(await openDuckDb(), columns);
  }

  /** Writes the rows to `path` and returns the file's size in bytes. */
  async write(rows: readonly CellValue[][], path: string, metadata: Record<string, string>): Promise<number> {
    const table = `batch_${++this.writes}`;
    const definition = this.columns.map((c) => `${quoteIdentifier(c.name)} ${c.duckdbType}`).join(', ');
    await this.session.connection.run(`CREATE TEMP TABLE ${table} (${definition})`);
    try {
      const appender = await this.session.connection.createAppender(table);
      const appenders = this.columns.map((c) => APPEND[c.kind]);
      for (const row of rows) {
        for (let i = 0; i < appenders.length; i++) {
          const value = row[i] ?? null;
          if (value === null) appender.appendNull();
          else (appenders[i] as Append)(appender, value);
        }
        appender.endRow();
      }
      appender.closeSync();
      const kv = Object.entries(metadata)
        .map(([k, v]) => `${quoteLiteral(k)}: ${quoteLiteral(v)}`)
        .join(', ');
      await this.session.connection.run(`COPY ${table} TO ${quoteLiteral(path)} (FORMAT parquet, COMPRESSION snappy${kv ? `, KV_METADATA {${kv}}` : ''})`);
    } finally {
      await this.session.connection.run(`DROP TABLE IF EXISTS ${table}`);
    }
    return (await stat(path)).size;
  }

  close(): void {
    this.session.close();
  }
}

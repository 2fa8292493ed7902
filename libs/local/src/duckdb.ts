import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** SQL quoting for DuckDB. */
export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** One DuckDB session as the lake uses it: in memory, in UTC (Firehose writes UTC; Athena's timestamps have no zone). */
export interface DuckDbSession {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

export async function openDuckDb(): Promise<DuckDbSession> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

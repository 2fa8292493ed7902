import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stub answers: the result set (Athena returns every value as text) and how the query goes. */
export interface AthenaStubScript {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Array<string | null>>;
  /** GetQueryExecution calls answered QUEUED, then RUNNING, before the final state. */
  pollsBeforeDone?: number;
  /** End in FAILED with this reason instead of SUCCEEDED. */
  failWith?: string;
  /** Engine v3 repeats the column names as a SELECT's first row (the default); the DuckDB engine's docs show none. */
  headerRow?: boolean;
}

export interface AthenaStub {
  endpoint: string;
  /** Every call: its X-Amz-Target operation and JSON body. */
  calls: Array<{ operation: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * A test double of the Athena API on 127.0.0.1, speaking its wire protocol (AWS JSON 1.1, `X-Amz-Target:
 * AmazonAthena.<Operation>`), for the operations a query needs: StartQueryExecution, GetQueryExecution (QUEUED →
 * RUNNING → SUCCEEDED/FAILED), GetQueryResults (paged with NextToken; the first row repeats the column names, as
 * for a SELECT), StopQueryExecution.
 */
export async function startAthenaStub(script: AthenaStubScript): Promise<AthenaStub> {
  const calls: AthenaStub['calls'] = [];
  const queryId = '5e9b1c3a-0000-4000-8000-athenastub01';
  let polls = 0;
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonAthena\./, '');
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      calls.push({ operation, body });
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      switch (operation) {
        case 'StartQueryExecution':
          return reply(200, { QueryExecutionId: queryId });
        case 'GetQueryExecution': {
          polls++;
          const waiting = script.pollsBeforeDone ?? 2;
          const state = polls === 1 && waiting > 0 ? 'QUEUED' : polls <= waiting ? 'RUNNING' : script.failWith ? 'FAILED' : 'SUCCEEDED';
          return reply(200, {
            QueryExecution: {
              QueryExecutionId: queryId,
              StatementType: 'DML',
              Status: { State: state, ...(state === 'FAILED' ? { StateChangeReason: script.failWith } : {}) },
              Statistics: { DataScannedInBytes: 2048 },
            },
          });
        }
        case 'GetQueryResults': {
          const all = [...(script.headerRow === false ? [] : [script.columns.map((c) => c.name)]), ...script.rows];
          const start = Number(body['NextToken'] ?? 0);
          const size = Number(body['MaxResults'] ?? 1000);
          const page = all.slice(start, start + size);
          return reply(200, {
            ResultSet: {
              Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
              ResultSetMetadata: {
                ColumnInfo: script.columns.map((c) => ({ Name: c.name, Label: c.name, Type: c.type, CatalogName: 'hive', Nullable: 'UNKNOWN' })),
              },
            },
            ...(start + size < all.length ? { NextToken: String(start + size) } : {}),
          });
        }
        case 'StopQueryExecution':
          return reply(200, {});
        default:
          return reply(400, { __type: 'InvalidRequestException', Message: `the stub does not serve ${operation}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { athenaClient, readStackOutputs } from '@lakehouse/aws';
import { awsErrorName, errorCode, LakeError } from '../errors';
import type { QueryResult } from './result';

export interface AthenaQueryOptions {
  sql: string;
  environment: string;
  /** The deployed stacks' outputs (`nx run infra:deploy` writes them). */
  outputsFile?: string;
  /** A client of your own (tests); otherwise one for the stack's region and the standard credential chain. */
  client?: AthenaClient;
  /** Polling of GetQueryExecution: starts fast, backs off to `maxPollMs`. */
  firstPollMs?: number;
  maxPollMs?: number;
  /** Aborting stops the query in Athena too (Ctrl-C). */
  signal?: AbortSignal;
}

const RESULTS_PAGE_SIZE = 1000;

/** AWS-side failures, in a sentence that says what to do. */
function describeAwsError(error: unknown, region: string): LakeError {
  if (error instanceof LakeError) return error;
  const name = awsErrorName(error);
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError') return new LakeError('no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and try again');
  if (name === 'InvalidRequestException') return new LakeError(`Athena refused the query: ${message}`);
  const code = errorCode(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN') {
    return new LakeError(`can't reach Athena in ${region} (${code}); check the network and AWS_REGION`);
  }
  return new LakeError(`Athena: ${name && name !== 'Error' ? `${name}: ` : ''}${message}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs SQL on Athena in the deployed stack's workgroup and database, as the console does: start the query, poll
 * until it ends, then page through the results.
 */
export async function queryAthena(options: AthenaQueryOptions): Promise<QueryResult> {
  const { sql, environment, outputsFile, firstPollMs = 100, maxPollMs = 1_000, signal } = options;
  let outputs;
  try {
    outputs = await readStackOutputs(environment, outputsFile);
  } catch (error) {
    throw new LakeError((error as Error).message);
  }
  const client = options.client ?? (await athenaClient({ region: outputs.region }));
  const started = performance.now();
  let queryId: string | undefined;
  const stop = () => {
    if (queryId) void client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId })).catch(() => undefined);
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const start = await client.send(
      new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: outputs.workgroup, QueryExecutionContext: { Database: outputs.database } }),
    );
    queryId = start.QueryExecutionId;
    if (!queryId) throw new LakeError('Athena started the query but returned no query id');

    let pollMs = firstPollMs;
    let statementType: string | undefined;
    let scannedBytes: number | undefined;
    for (;;) {
      if (signal?.aborted) throw new LakeError('query stopped');
      const { QueryExecution: execution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }));
      const state = execution?.Status?.State;
      if (state === 'SUCCEEDED') {
        statementType = execution?.StatementType;
        scannedBytes = execution?.Statistics?.DataScannedInBytes;
        break;
      }
      if (state === 'FAILED') throw new LakeError(`Athena query ${queryId} failed: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`);
      if (state === 'CANCELLED') throw new LakeError(`Athena query ${queryId} was cancelled`);
      await sleep(pollMs);
      pollMs = Math.min(pollMs * 2, maxPollMs);
    }

    const columns: QueryResult['columns'] = [];
    const rows: QueryResult['rows'] = [];
    let NextToken: string | undefined;
    let first = true;
    do {
      const page: GetQueryResultsCommandOutput = await client.send(
        new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: RESULTS_PAGE_SIZE, ...(NextToken ? { NextToken } : {}) }),
      );
      if (first) {
        for (const info of page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []) columns.push({ name: info.Name ?? '', type: info.Type ?? 'varchar' });
      }
      let pageRows = (page.ResultSet?.Rows ?? []).map((row) => (row.Data ?? []).map((d) => d.VarCharValue ?? null));
      // A SELECT's first result row repeats the column names.
      if (first && statementType === 'DML') pageRows = pageRows.slice(1);
      rows.push(...pageRows);
      NextToken = page.NextToken;
      first = false;
    } while (NextToken);

    return { columns, rows, elapsedMs: performance.now() - started, ...(scannedBytes === undefined ? {} : { scannedBytes }) };
  } catch (error) {
    throw describeAwsError(error, outputs.region);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

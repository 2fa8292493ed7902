import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { athenaClient, classifyAwsError, readStackOutputs } from '@lakehouse/aws';
import { interruptReason, LakehouseError } from '@lakehouse/runtime';
import type { QueryResult } from '@lakehouse/console-api';
import { DUCKDB_WORKGROUP_OUTPUT, stackName, type DeployedOutputs } from '@lakehouse/pipeline';

export interface AthenaQueryOptions {
  sql: string;
  environment: string;
  /** `duckdb` runs in the stack's DuckDB workgroup (infra's athena.duckdbWorkgroup), Athena's DuckDB engine. */
  dialect?: 'athena' | 'duckdb';
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
function describeAwsError(error: unknown, region: string): LakehouseError {
  if (error instanceof LakehouseError) return error;
  const { kind, code } = classifyAwsError(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'CredentialsProviderError') {
    return new LakehouseError('credentials', 'no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and try again', {
      cause: error,
    });
  }
  if (kind === 'credentials')
    return new LakehouseError('credentials', `Athena refused the credentials (${code}): check AWS_PROFILE and AWS_REGION, or run "aws sso login"`, {
      cause: error,
    });
  if (code === 'InvalidRequestException') return new LakehouseError('query', `Athena refused the query: ${message}`, { cause: error });
  if (kind === 'unreachable')
    return new LakehouseError('unreachable', `can't reach Athena in ${region} (${code}); check the network and AWS_REGION`, { cause: error });
  return new LakehouseError('query', `Athena: ${code}: ${message}`, { cause: error });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Polling = Required<Pick<AthenaQueryOptions, 'firstPollMs' | 'maxPollMs'>> & Pick<AthenaQueryOptions, 'signal'>;

/** Polls GetQueryExecution until the query ends; its statement type and bytes scanned once it succeeded. */
async function waitForQuery(client: AthenaClient, queryId: string, polling: Polling): Promise<{ statementType?: string; scannedBytes?: number }> {
  for (let pollMs = polling.firstPollMs; ; pollMs = Math.min(pollMs * 2, polling.maxPollMs)) {
    if (polling.signal?.aborted) throw new LakehouseError('interrupted', 'query stopped');
    const { QueryExecution: execution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }));
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') {
      const scannedBytes = execution?.Statistics?.DataScannedInBytes;
      return { ...(execution?.StatementType ? { statementType: execution.StatementType } : {}), ...(scannedBytes === undefined ? {} : { scannedBytes }) };
    }
    if (state === 'FAILED') throw new LakehouseError('query', `Athena query ${queryId} failed: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`);
    if (state === 'CANCELLED') throw new LakehouseError('query', `Athena query ${queryId} was cancelled`);
    await sleep(pollMs);
  }
}

/** Pages through GetQueryResults: the columns, then every row as text. */
async function readResults(client: AthenaClient, queryId: string, statementType: string | undefined): Promise<Pick<QueryResult, 'columns' | 'rows'>> {
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
    // Engine v3 repeats the column names as a SELECT's first row; dropped only when it is that row, since the DuckDB
    // engine's preview documents no such row.
    if (first && statementType === 'DML' && pageRows[0]?.join('\0') === columns.map((c) => c.name).join('\0')) pageRows = pageRows.slice(1);
    rows.push(...pageRows);
    NextToken = page.NextToken;
    first = false;
  } while (NextToken);
  return { columns, rows };
}

/** The deployed DuckDB workgroup, or one line saying how to deploy it. */
function duckdbWorkgroupOf(outputs: DeployedOutputs, environment: string): string {
  const workgroup = outputs[DUCKDB_WORKGROUP_OUTPUT];
  if (workgroup) return workgroup;
  throw new LakehouseError(
    'missing',
    `--dialect duckdb: the deployed stack ${stackName(environment)} has no DuckDB workgroup; deploy one with LAKEHOUSE_DUCKDB_WORKGROUP=true nx run infra:deploy (Athena's DuckDB engine is a preview, see apps/infra/README.md), or leave out --dialect to run Athena's SQL`,
  );
}

/**
 * Runs SQL on Athena in the deployed stack's workgroup and database, as the console does: start the query, poll
 * until it ends, then page through the results. Aborting the signal (Ctrl-C) stops the query in Athena too.
 */
export async function queryAthena(options: AthenaQueryOptions): Promise<QueryResult> {
  const { sql, environment, outputsFile, firstPollMs = 100, maxPollMs = 1_000, signal } = options;
  const outputs = await readStackOutputs(environment, outputsFile);
  const workgroup = options.dialect === 'duckdb' ? duckdbWorkgroupOf(outputs, environment) : outputs.workgroup;
  const client = options.client ?? (await athenaClient({ region: outputs.region }));
  const started = performance.now();
  let queryId: string | undefined;
  let stopping: Promise<unknown> | undefined;
  // Ctrl-C stops the query in Athena, once its id is known (it is billed while it runs).
  const stop = () => {
    if (queryId) stopping ??= client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId })).catch(() => undefined);
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const start = await client.send(
      new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: workgroup, QueryExecutionContext: { Database: outputs.database } }),
    );
    queryId = start.QueryExecutionId;
    if (!queryId) throw new LakehouseError('query', 'Athena started the query but returned no query id');
    if (signal?.aborted) stop();
    const { statementType, scannedBytes } = await waitForQuery(client, queryId, { firstPollMs, maxPollMs, signal });
    const { columns, rows } = await readResults(client, queryId, statementType);
    return { columns, rows, elapsedMs: performance.now() - started, ...(scannedBytes === undefined ? {} : { scannedBytes }) };
  } catch (error) {
    if (signal?.aborted && queryId) {
      await stopping;
      throw new LakehouseError('interrupted', `${interruptReason('SIGINT')}: query ${queryId} stopped in Athena`, { cause: error });
    }
    throw describeAwsError(error, outputs.region);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaClient } from '@lakehouse/aws';
import { stackName } from '@lakehouse/pipeline';
import { startAthenaStub, type AthenaStub } from '../testing/athena-stub';
import { buildLake, encode, eventRecords } from '@lakehouse/local/testing';
import { runCli, startCli, waitFor } from '../testing/processes';
import { queryAthena } from './athena';

const outputs = {
  region: 'eu-west-1',
  stream_name: 'lakehouse-dev-events',
  stream_arn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/lakehouse-dev-events',
  bucket: 'lakehouse-dev-lake-abc123',
  database: 'lakehouse_dev',
  table: 'events',
  workgroup: 'lakehouse-dev',
};

describe('--target aws: the same SQL on Athena, against a stub of the Athena API', () => {
  let dir: string;
  let outputsFile: string;
  const stubs: AthenaStub[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-athena-'));
    outputsFile = join(dir, 'outputs.json');
    await writeFile(outputsFile, JSON.stringify({ [stackName('dev')]: outputs }));
  });

  afterAll(async () => {
    await Promise.all(stubs.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  async function stub(script: Parameters<typeof startAthenaStub>[0]): Promise<AthenaStub> {
    const s = await startAthenaStub(script);
    stubs.push(s);
    return s;
  }

  it('starts the query in the deployed workgroup and database, waits for it, and pages through every result', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => [`id-${i}`, String(i)]);
    const athena = await stub({
      columns: [
        { name: 'uuid', type: 'varchar' },
        { name: 'n', type: 'bigint' },
      ],
      rows,
      pollsBeforeDone: 3,
    });
    const result = await queryAthena({
      sql: 'SELECT uuid, n FROM events',
      environment: 'dev',
      outputsFile,
      client: await athenaClient({ endpoint: athena.endpoint }),
      firstPollMs: 5,
    });
    expect(athena.calls[0]).toEqual({
      operation: 'StartQueryExecution',
      body: expect.objectContaining({
        QueryString: 'SELECT uuid, n FROM events',
        WorkGroup: 'lakehouse-dev',
        QueryExecutionContext: { Database: 'lakehouse_dev' },
      }),
    });
    expect(athena.calls.filter((c) => c.operation === 'GetQueryExecution')).toHaveLength(4);
    expect(athena.calls.filter((c) => c.operation === 'GetQueryResults').map((c) => c.body['NextToken'])).toEqual([undefined, '1000']);
    expect(result.columns).toEqual([
      { name: 'uuid', type: 'varchar' },
      { name: 'n', type: 'bigint' },
    ]);
    expect(result.rows).toEqual(rows);
    expect(result.scannedBytes).toBe(2048);
  });

  it('reports a failed query with Athena’s reason', async () => {
    const athena = await stub({ columns: [], rows: [], failWith: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved" });
    await expect(
      queryAthena({
        sql: 'SELECT nope FROM events',
        environment: 'dev',
        outputsFile,
        client: await athenaClient({ endpoint: athena.endpoint }),
        firstPollMs: 5,
      }),
    ).rejects.toThrow(/^Athena query [\w-]+ failed: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved$/);
  });

  it('runs DuckDB’s SQL in the stack’s DuckDB workgroup with dialect duckdb, keeping a first row that is data', async () => {
    const withDuckdb = join(dir, 'outputs-duckdb.json');
    await writeFile(withDuckdb, JSON.stringify({ [stackName('dev')]: { ...outputs, duckdb_workgroup: 'lakehouse-dev-duckdb' } }));
    const rows = [
      ['a', '1'],
      ['b', '2'],
    ];
    const columns = [
      { name: 'status', type: 'varchar' },
      { name: 'n', type: 'bigint' },
    ];
    const athena = await stub({ columns, rows, headerRow: false });
    const sql = 'SELECT status, count(*)::BIGINT AS n FROM events GROUP BY ALL';
    const result = await queryAthena({
      sql,
      environment: 'dev',
      dialect: 'duckdb',
      outputsFile: withDuckdb,
      client: await athenaClient({ endpoint: athena.endpoint }),
      firstPollMs: 5,
    });
    expect(athena.calls[0]?.body).toMatchObject({ QueryString: sql, WorkGroup: 'lakehouse-dev-duckdb', QueryExecutionContext: { Database: 'lakehouse_dev' } });
    expect(result.rows).toEqual(rows);
  });

  it('says how to deploy the DuckDB workgroup when the stack has none, before calling Athena', async () => {
    const athena = await stub({ columns: [], rows: [] });
    await expect(
      queryAthena({ sql: 'SELECT 1', environment: 'dev', dialect: 'duckdb', outputsFile, client: await athenaClient({ endpoint: athena.endpoint }) }),
    ).rejects.toThrow(
      "--dialect duckdb: the deployed stack lakehouse-dev has no DuckDB workgroup; deploy one with LAKEHOUSE_DUCKDB_WORKGROUP=true nx run infra:deploy (Athena's DuckDB engine is a preview, see apps/infra/README.md), or leave out --dialect to run Athena's SQL",
    );
    expect(athena.calls).toEqual([]);
  });

  it('says how to deploy when there is no deployed stack', async () => {
    await expect(queryAthena({ sql: 'SELECT 1', environment: 'dev', outputsFile: join(dir, 'missing.json') })).rejects.toThrow('no deployed stack found');
  });

  it('prints the same table as the local query, through the real CLI (the SDK pointed at the stub by AWS_ENDPOINT_URL_ATHENA)', async () => {
    const lakeDir = join(dir, 'lake');
    await buildLake(lakeDir, eventRecords(30).map(encode));
    const sql = 'SELECT status, count(*) AS n FROM events GROUP BY status ORDER BY status';
    const local = await runCli(['query', sql, '--data-dir', lakeDir]);
    expect(local.code).toBe(0);
    const athenaRows = local.stdout
      .trim()
      .split('\n')
      .slice(2)
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const athena = await stub({
      columns: [
        { name: 'status', type: 'varchar' },
        { name: 'n', type: 'bigint' },
      ],
      rows: athenaRows,
    });
    const remote = await runCli(['query', sql, '--target', 'aws', '--outputs', outputsFile], {
      AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_PROFILE: '',
    });
    expect(remote.stderr).toMatch(/^3 rows in \d+ ms, 2\.0 KiB scanned\n$/);
    expect(remote.code).toBe(0);
    expect(remote.stdout).toBe(local.stdout);
    expect(athenaRows.map(([, n]) => Number(n)).reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('Ctrl-C on a running query stops it in Athena (StopQueryExecution) and exits 130', async () => {
    const athena = await stub({ columns: [{ name: 'n', type: 'bigint' }], rows: [], pollsBeforeDone: 1_000_000 });
    const cli = startCli(['query', 'SELECT count(*) AS n FROM events', '--target', 'aws', '--outputs', outputsFile], {
      env: { AWS_ENDPOINT_URL_ATHENA: athena.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_PROFILE: '' },
    });
    await waitFor('the query to be running', () => (athena.calls.some((c) => c.operation === 'GetQueryExecution') ? true : undefined));
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code).toBe(130);
    const started = athena.calls.find((c) => c.operation === 'StartQueryExecution');
    expect(started).toBeDefined();
    expect(athena.calls.filter((c) => c.operation === 'StopQueryExecution').map((c) => c.body)).toEqual([
      { QueryExecutionId: '5e9b1c3a-0000-4000-8000-athenastub01' },
    ]);
    expect(cli.stderr()).toBe('error: interrupted (Ctrl-C): query 5e9b1c3a-0000-4000-8000-athenastub01 stopped in Athena\n');
  });
});

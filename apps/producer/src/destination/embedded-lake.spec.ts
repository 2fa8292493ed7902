import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { kinesisClient } from '@lakehouse/aws';
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, openQueryEngine, type RunningLake } from '@lakehouse/local';
import { EXIT, LakehouseError } from '@lakehouse/runtime';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseSendArgs, type SendSettings } from '../options';
import { formatSummary } from '../report/summary';
import { runSend, type RunContext } from '../send';
import { createStream, readStream, startKinesalite } from '../testing/kinesis';

let lakeDir: string;
beforeEach(async () => {
  lakeDir = await mkdtemp(join(tmpdir(), 'lake-'));
});

function settings(...argv: string[]): SendSettings {
  const parsed = parseSendArgs(['--data-dir', lakeDir, ...argv]);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

function context(): RunContext & { err: () => string; stdout: PassThrough } {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, cwd: lakeDir, err: () => err };
}

async function rejection(promise: Promise<unknown>): Promise<LakehouseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LakehouseError);
  return error as LakehouseError;
}

describe('the default target: the embedded local lakehouse, in this process', () => {
  it('starts it, sends, drains it, and says where the files landed and how to query them', async () => {
    const ctx = context();
    const result = await runSend(settings('--amount', '1200'), ctx);

    expect(result.exitCode).toBe(EXIT.ok);
    expect(result.summary).toMatchObject({ requested: 1200, sent: 1200, deadLettered: 0, rejected: 0, stream: 'lakehouse-dev-events' });
    expect(result.summary.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+ \(embedded local lakehouse\)$/);
    const lake = result.summary.lake;
    expect(lake?.kind).toBe('embedded');
    if (lake?.kind !== 'embedded') return;
    // The drain came after the last record: the lake read every one of them.
    expect(lake.report.recordsDelivered).toBe(1200);
    const layout = localLayout(lakeDir, pipelineSettings('dev'));
    expect(lake.report.bucketDir).toBe(layout.bucketDir);
    const engine = await openQueryEngine(lakeDir, layout.catalogFile);
    try {
      expect((await engine.query('SELECT count(DISTINCT uuid) FROM events')).rows).toEqual([['1200']]);
    } finally {
      engine.close();
    }

    const text = formatSummary(result.summary);
    expect(text).toMatch(new RegExp(`The embedded lakehouse delivered 1,200 records in \\d+ Parquet objects? under ${layout.bucketDir}/:`));
    expect(text).toContain(`  ${lake.report.objects[0]?.key}`);
    // The run's working folder is the lake folder: the command names it as the shell would find it from there.
    expect(text).toContain(`Query them: npx nx run lake:query --data-dir . "SELECT status, count(*) FROM events GROUP BY status"`);
    expect(ctx.err()).toContain('starting the embedded local lakehouse');
  });

  it('a lake that cannot start: one line, exit 8', async () => {
    await writeFile(join(lakeDir, 'a-file'), '');
    const error = await rejection(runSend({ ...settings('--amount', '5'), lakeDir: join(lakeDir, 'a-file', 'lake') }, context()));
    expect([error.message, error.exitCode]).toEqual([
      `data dir ${join(lakeDir, 'a-file', 'lake')} is not writable (a file is in the way of the folder); pass another --data-dir or fix its permissions`,
      EXIT.lakehouse,
    ]);
  });

  it('a stream on disk that cannot be opened: one line naming it, exit 8, and the folder free once it is moved away', async () => {
    // Found after the lock is taken, while the engine (DuckDB) loads: both are given back.
    const { kinesisDir } = localLayout(lakeDir, pipelineSettings('dev'));
    await mkdir(kinesisDir, { recursive: true });
    await writeFile(join(kinesisDir, 'CURRENT'), 'MANIFEST-000099\n');
    const error = await rejection(runSend(settings('--amount', '5'), context()));
    expect([error.message.split('\n').length, error.exitCode]).toEqual([1, EXIT.lakehouse]);
    expect(error.message).toMatch(new RegExp(`^Kinesis data in ${kinesisDir} can't be opened: .*; move it away to start with an empty stream$`));
    renameSync(kinesisDir, `${kinesisDir}.damaged`);
    expect((await runSend(settings('--amount', '5'), context())).summary).toMatchObject({ requested: 5, sent: 5 });
  });

  it('a delivery failure keeps the send summary and exits 8', async () => {
    // The bucket's folder can't be made: a file is in its way, found by the delivery at the end of the run.
    const { bucketDir } = localLayout(lakeDir, pipelineSettings('dev'));
    await mkdir(join(bucketDir, '..'), { recursive: true });
    await writeFile(bucketDir, '');
    const result = await runSend(settings('--amount', '50'), context());
    expect(result.summary).toMatchObject({ requested: 50, sent: 50 });
    expect(result.summary.lake).toBeUndefined();
    expect(result.exitCode).toBe(EXIT.lakehouse);
    expect(result.error?.message).toMatch(/^the embedded lakehouse failed while delivering: .*(EEXIST|ENOTDIR)/);
  });
});

describe('a running lake:up', () => {
  async function register(lake: Partial<RunningLake>) {
    const { runningFile } = localLayout(lakeDir, pipelineSettings('dev'));
    await mkdir(lakeDir, { recursive: true });
    await writeFile(runningFile, JSON.stringify(lake));
  }

  it('is used when its process is alive and its endpoint answers', async () => {
    const kinesis = await startKinesalite();
    const client = kinesisClient({ endpoint: kinesis.endpoint });
    try {
      await createStream(client, 'lakehouse-dev-events', 2);
      await register({
        pid: process.pid,
        endpoint: kinesis.endpoint,
        environment: 'dev',
        streamName: 'lakehouse-dev-events',
        startedAt: new Date().toISOString(),
      });
      const ctx = context();
      const result = await runSend(settings('--amount', '30'), ctx);
      expect(result.exitCode).toBe(EXIT.ok);
      // Said first (a long send is otherwise silent until its summary), before any record goes out.
      expect(ctx.err().split('\n')[0]).toBe(`Sending to the lake:up running on this folder (pid ${process.pid})…`);
      expect(result.summary.lake).toEqual({
        kind: 'running',
        pid: process.pid,
        query: 'npx nx run lake:query --data-dir . "SELECT status, count(*) FROM events GROUP BY status"',
      });
      expect(result.summary.target).toBe(`${kinesis.endpoint} (lake:up, pid ${process.pid})`);
      expect(await readStream(client, 'lakehouse-dev-events')).toHaveLength(30);
    } finally {
      client.destroy();
      await kinesis.close();
    }
  });

  it.each([
    ['restarted during the run: the summary names the lake:up running now', 'running'],
    ['stopped during the run: the summary says so, not a dead pid', 'stopped'],
  ] as const)('%s', async (_label, what) => {
    const kinesis = await startKinesalite();
    const client = kinesisClient({ endpoint: kinesis.endpoint });
    // A live process that is not this one, to stand for the restarted lake:up.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      await createStream(client, 'lakehouse-dev-events', 2);
      const lake = { endpoint: kinesis.endpoint, environment: 'dev', streamName: 'lakehouse-dev-events', startedAt: new Date().toISOString() };
      await register({ ...lake, pid: process.pid });
      const ctx = context();
      // The first records accepted (--echo) mark the middle of the run: the lake:up restarts or stops then,
      // rewriting its file at once (atomically, as lake:up does).
      ctx.stdout.once('data', () => {
        const { runningFile } = localLayout(lakeDir, pipelineSettings('dev'));
        writeFileSync(`${runningFile}.tmp`, JSON.stringify({ ...lake, pid: what === 'running' ? other.pid : 2 ** 22 + 7 }));
        renameSync(`${runningFile}.tmp`, runningFile);
      });
      const result = await runSend(settings('--amount', '30', '--echo'), ctx);
      const text = formatSummary(result.summary);
      if (what === 'running') {
        expect(result.summary.lake).toMatchObject({ kind: 'running', pid: other.pid, previousPid: process.pid });
        expect(text).toContain(
          `The running lake:up (pid ${other.pid}) delivers them to Parquet when its buffer flushes (it restarted during the run; pid ${process.pid} before).`,
        );
      } else {
        expect(result.summary.lake).toMatchObject({ kind: 'stopped', pid: process.pid });
        expect(text).toContain(
          `The lake:up that took them (pid ${process.pid}) has stopped: start it again with the same --data-dir; with --persist it delivers what it had not yet delivered.`,
        );
      }
    } finally {
      other.kill();
      client.destroy();
      await kinesis.close();
    }
  });

  it.each([
    ['a dead process', { pid: 2 ** 22 + 12_345, endpoint: 'http://127.0.0.1:9' }],
    ['an endpoint that does not answer', { pid: process.pid, endpoint: 'http://127.0.0.1:9' }],
  ])('is passed over for the embedded one when it has %s', async (_label, lake) => {
    await register({ ...lake, environment: 'dev', streamName: 'lakehouse-dev-events', startedAt: new Date().toISOString() });
    const result = await runSend(settings('--amount', '20'), context());
    expect(result.summary.lake?.kind).toBe('embedded');
    expect(result.summary.sent).toBe(20);
  });

  it('of another environment is not mixed up with this one', async () => {
    await register({ pid: process.pid, endpoint: 'http://127.0.0.1:9', environment: 'prod', streamName: 'lakehouse-prod-events', startedAt: '' });
    const error = await rejection(runSend(settings('--amount', '5'), context()));
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toBe(`a lake:up for environment "prod" is running on ${lakeDir} (pid ${process.pid}): pass --env prod, or stop it first`);
  });
});

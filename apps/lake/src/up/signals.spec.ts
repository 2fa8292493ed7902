import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, openQueryEngine, type RunningLake } from '@lakehouse/local';
import { startCli, waitFor, waitForJsonFile, type CliProcess } from '../testing/processes';
import { encode, eventRecords, putAll } from '@lakehouse/local/testing';

const settings = pipelineSettings('dev');
const N = 3_000;

describe('Ctrl-C through Nx: the terminal’s SIGINT and Nx’s SIGTERM, which can arrive in either order', () => {
  let dir: string | undefined;
  let cli: CliProcess | undefined;
  afterEach(async () => {
    cli?.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['SIGINT', 'SIGTERM'],
    ['SIGTERM', 'SIGINT'],
  ] as const)('%s then %s: drains, delivers every record and exits 0', async (first, second) => {
    dir = await mkdtemp(join(tmpdir(), 'lake-signals-'));
    // A long interval: everything is still buffered when the signals come, so the drain has a delivery to make.
    cli = startCli(['up', '--data-dir', dir, '--port', '0', '--no-console', '--buffer-interval', '900']);
    const running = await waitForJsonFile<RunningLake>(localLayout(dir, settings).runningFile);
    await putAll(kinesisClient({ endpoint: running.endpoint }), running.streamName, eventRecords(N).map(encode));
    cli.child.kill(first);
    const started = `${first}: reading the stream to its end`;
    await waitFor('the drain to start', () => (cli?.stderr().includes(started) ? true : undefined));
    cli.child.kill(second);
    expect((await cli.exited).code).toBe(0);
    expect(cli.stderr()).not.toContain('again');
    expect(cli.stderr()).toContain(`${N.toLocaleString('en-US')} records delivered in 1 Parquet object`);
  });
});

describe('a second Ctrl-C on the real lake:up', () => {
  let dir: string | undefined;
  const started: CliProcess[] = [];
  afterEach(async () => {
    for (const cli of started.splice(0)) cli.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function uuidsInLake(lakeDir: string): Promise<string[]> {
    const lake = await openQueryEngine(lakeDir, localLayout(lakeDir, settings).catalogFile);
    try {
      return (await lake.query('SELECT uuid FROM events')).rows.map(([uuid]) => uuid ?? '');
    } finally {
      lake.close();
    }
  }

  it('stops at once, delivering nothing (exit 130); with --persist the next start delivers that buffer, each record once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-second-ctrl-c-'));
    const flags = ['--data-dir', dir, '--port', '0', '--no-console', '--persist', '--buffer-interval', '900'];
    // The second Ctrl-C lands inside the drain's delivery by construction: the lakehouse sends it to itself there.
    const first = startCli(['after-prepare', 'interrupt', ...flags], { script: join(import.meta.dirname, '..', 'testing', 'up-with-hook.ts') });
    started.push(first);
    const running = await waitForJsonFile<RunningLake>(localLayout(dir, settings).runningFile);
    const records = eventRecords(N).map(encode);
    await putAll(kinesisClient({ endpoint: running.endpoint }), running.streamName, records);
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(130);
    expect(first.stderr()).toContain('SIGINT again: stopping without delivering the buffer (it is delivered at the next start)');
    const bucket = localLayout(dir, settings).bucketDir;
    expect(existsSync(bucket) ? (await readdir(bucket, { recursive: true })).filter((f) => String(f).endsWith('.parquet')) : []).toEqual([]);

    const second = startCli(['up', ...flags]);
    started.push(second);
    await waitFor('the restart', () => (second.stderr().includes('Ctrl-C reads the stream') ? true : undefined));
    expect(second.stderr()).toContain('recovered: undid a delivery interrupted before its objects were all in place');
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
    const uuids = await uuidsInLake(dir);
    expect(uuids).toHaveLength(N);
    expect(new Set(uuids).size).toBe(N);
  });
});

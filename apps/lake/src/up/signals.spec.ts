import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { localLayout, pipelineSettings } from '@lakehouse/pipeline';
import type { RunningLake } from '@lakehouse/runtime';
import { startCli, waitFor, waitForJsonFile, type CliProcess } from '../testing/processes';
import { encode, eventRecords, putAll } from '../testing/records';

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
    cli = startCli(['up', '--data-dir', dir, '--port', '0', '--buffer-interval', '900']);
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

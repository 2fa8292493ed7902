import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '@lakehouse/local';
import type { RunningLake } from '@lakehouse/local';
import { startCli, waitFor, waitForJsonFile, type CliProcess } from '../testing/processes';
import { encode, putAll, wideEventRecords } from '@lakehouse/local/testing';

describe('lake:up buffering: the defaults it says, and the flags that change them', () => {
  let dir: string | undefined;
  let cli: CliProcess | undefined;
  afterEach(async () => {
    cli?.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function up(args: string[]): Promise<{ cli: CliProcess; running: RunningLake }> {
    dir = await mkdtemp(join(tmpdir(), 'lake-buffering-'));
    cli = startCli(['up', '--data-dir', dir, '--port', '0', '--no-console', ...args]);
    const running = await waitForJsonFile<RunningLake>(localLayout(dir, pipelineSettings(args.includes('prod') ? 'prod' : 'dev')).runningFile);
    await waitFor('the banner', () => (cli?.stderr().includes('Ctrl-C reads the stream') ? true : undefined));
    return { cli, running };
  }

  it.each([
    [[], '  buffering: 128.0 MiB or 10 s (AWS waits 60 s; shortened locally, set with --buffer-interval), whichever comes first'],
    [['--env', 'prod'], '  buffering: 128.0 MiB or 10 s (AWS waits 300 s; shortened locally, set with --buffer-interval), whichever comes first'],
    [['--buffer-interval', '120'], '  buffering: 128.0 MiB or 120 s, whichever comes first'],
    [
      ['--buffer-size', '2', '--buffer-interval', '30'],
      '  buffering: 2.0 MiB or 30 s (AWS waits 60 s; shortened locally, set with --buffer-interval), whichever comes first',
    ],
  ])('%j: says %s', async (args, line) => {
    const started = await up(args);
    expect(started.cli.stderr().split('\n')).toContain(line);
  });

  it('--buffer-size: a buffer reaching it is delivered at once (size), long before the interval', async () => {
    const { cli: lake, running } = await up(['--buffer-size', '1', '--buffer-interval', '900']);
    // 1,000 records of about 1.2 KiB (a 1 KiB name): more than 1 MiB, for a sixth of the per-record work of 6,000 of
    // the usual 230 bytes.
    const records = wideEventRecords(1_000).map(encode);
    await putAll(kinesisClient({ endpoint: running.endpoint }), running.streamName, records);
    await waitFor('a delivery on the size hint', () => (/ delivered [\d,]+ records \(size\) -> events\//.test(lake.stderr()) ? true : undefined));
    expect(lake.stderr()).not.toMatch(/\(interval\)/);
  });
});

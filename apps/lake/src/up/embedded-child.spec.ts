import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, openQueryEngine } from '@lakehouse/local';
import { EXIT } from '@lakehouse/runtime';
import { nextMessage, runCli, startCli } from '../testing/processes';
import { encode, eventRecords, putAll } from '@lakehouse/local/testing';

const settings = pipelineSettings('dev');

describe('embedded mode: the contract with the producer that starts it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-embedded-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('if the parent goes away (the IPC channel closes), drains, delivers and exits 0', async () => {
    const lakeDir = join(dir, 'orphan');
    const cli = startCli(['up', '--embedded', '--data-dir', lakeDir, '--env', 'dev'], { ipc: true });
    const ready = await nextMessage(cli.child, 'ready');
    await putAll(kinesisClient({ endpoint: ready.endpoint }), ready.streamName, eventRecords(100).map(encode));
    cli.child.disconnect();
    expect((await cli.exited).code).toBe(0);
    const lake = await openQueryEngine(lakeDir, localLayout(lakeDir, settings).catalogFile);
    try {
      expect((await lake.query('SELECT count(DISTINCT uuid) FROM events')).rows).toEqual([['100']]);
    } finally {
      lake.close();
    }
  });

  it('says failed, with the reason, and exits non-zero when it cannot start', async () => {
    await writeFile(join(dir, 'file'), '');
    const cli = startCli(['up', '--embedded', '--data-dir', join(dir, 'file', 'lake'), '--env', 'dev'], { ipc: true });
    await expect(nextMessage(cli.child, 'ready')).rejects.toThrow(
      /embedded lakehouse failed: data dir .* is not writable \(a file is in the way of the folder\)/,
    );
    expect((await cli.exited).code).toBe(EXIT.lakehouse);
  });

  it('says failed for a usage error too', async () => {
    const cli = startCli(['up', '--embedded', '--persist', '--data-dir', dir], { ipc: true });
    await expect(nextMessage(cli.child, 'ready')).rejects.toThrow('--embedded always keeps the stream in memory on a free port: drop --port and --persist');
    expect((await cli.exited).code).toBe(EXIT.usage);
  });

  it('refuses to run without an IPC channel, pointing at lake:up', async () => {
    const result = await runCli(['up', '--embedded', '--data-dir', dir]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toBe('error: --embedded needs an IPC channel: it is started by "lakehouse send"; run "lakehouse up" yourself instead\n');
  });
});

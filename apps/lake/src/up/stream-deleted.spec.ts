import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { afterAll, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, type RunningLake } from '@lakehouse/local';
import { encode, eventRecords, putAll } from '@lakehouse/local/testing';
import { EXIT } from '@lakehouse/runtime';
import { startCli, waitForJsonFile, type CliProcess } from '../testing/processes';

describe('the stream deleted under a running lake:up (DeleteStream from a script or a tool)', () => {
  let dir: string;
  let cli: CliProcess;
  afterAll(async () => {
    cli?.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('stops it with one line saying so (exit 8), instead of retrying for ever and hanging on Ctrl-C', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-deleted-'));
    cli = startCli(['up', '--data-dir', dir, '--port', '0', '--no-console', '--buffer-interval', '900']);
    const running = await waitForJsonFile<RunningLake>(localLayout(dir, pipelineSettings('dev')).runningFile);
    const client = kinesisClient({ endpoint: running.endpoint });
    await putAll(client, running.streamName, eventRecords(20).map(encode));
    await client.send(new DeleteStreamCommand({ StreamName: running.streamName }));
    client.destroy();
    expect((await cli.exited).code, cli.stderr()).toBe(EXIT.lakehouse);
    expect(cli.stderr()).toContain(
      `\ndelivery failed: stream ${running.streamName} was deleted while the lakehouse ran (DeleteStream): records not yet delivered went with it; start the lakehouse again to create it; nothing after the last delivery was saved\n`,
    );
  });
});

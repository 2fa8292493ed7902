/**
 * A test double for `lake up --embedded`: speaks the same IPC protocol (EmbeddedLakeMessage /
 * EmbeddedLakeCommand) and serves kinesalite, but "delivers" by writing the records it reads
 * back from every shard to one NDJSON file under the bucket folder. FAKE_LAKE_MODE makes it misbehave:
 * `fail-start`, `exit-early`, `fail-drain`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings, shardCountOf } from '@lakehouse/pipeline';
import { localLayout } from '@lakehouse/local';
import type { EmbeddedLakeCommand, EmbeddedLakeMessage } from '@lakehouse/local';
import { createStream, readStream, startKinesalite } from './kinesis';

const send = (message: EmbeddedLakeMessage) => process.send?.(message);
const { values, positionals } = parseArgs({
  options: { embedded: { type: 'boolean' }, 'data-dir': { type: 'string' }, env: { type: 'string' } },
  allowPositionals: true,
});
const mode = process.env.FAKE_LAKE_MODE;
if (positionals[0] !== 'up' || !values.embedded || !values['data-dir'] || !values.env) {
  send({ type: 'failed', code: 'usage', message: `unexpected arguments: ${process.argv.slice(2).join(' ')}` });
  process.exit(2);
}
if (mode === 'exit-early') process.exit(3);
if (mode === 'fail-start') {
  send({ type: 'failed', code: 'lakehouse', message: 'port 4567 is in use (injected)' });
  process.exit(1);
}

const settings = pipelineSettings(values.env);
const layout = localLayout(values['data-dir'], settings);
const kinesis = await startKinesalite();
const client = kinesisClient({ endpoint: kinesis.endpoint });
await createStream(client, settings.streamName, shardCountOf(settings.capacity));
send({ type: 'ready', endpoint: kinesis.endpoint, streamName: settings.streamName });

process.on('message', async (command: EmbeddedLakeCommand) => {
  if (command.type !== 'drain') return;
  if (mode === 'fail-drain') {
    send({ type: 'failed', code: 'lakehouse', message: 'disk full (injected)' });
    process.exit(1);
  }
  const records = await readStream(client, settings.streamName);
  const key = `${settings.dataPrefix}fake-delivery.ndjson`;
  const path = join(layout.bucketDir, key);
  const text = records.map((r) => `${r.data}\n`).join('');
  await mkdir(join(layout.bucketDir, settings.dataPrefix), { recursive: true });
  await writeFile(path, text);
  send({
    type: 'drained',
    report: {
      bucketDir: layout.bucketDir,
      catalogFile: layout.catalogFile,
      recordsDelivered: records.length,
      recordsFailed: 0,
      objects: [{ key, path, records: records.length, bytes: Buffer.byteLength(text), kind: 'data' }],
    },
  });
  client.destroy();
  await kinesis.close();
  process.disconnect();
});

/**
 * The ceiling for the send benchmark, in its own process like the producer's CLI: pre-built records
 * (JSON already encoded), 500 per PutRecords, the producer's requests in flight, nothing else.
 * Prints the seconds the loop took (building the records is not timed).
 */
import { parseArgs } from 'node:util';
import { PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '@lakehouse/aws';
import { DEFAULT_CONCURRENCY } from '../src/options';
import { createRecordGenerator } from '../src/source/generate';

const { values } = parseArgs({ options: { endpoint: { type: 'string' }, stream: { type: 'string' }, records: { type: 'string' } } });
const records = Number(values.records);
const entries = Array.from({ length: records }, createRecordGenerator()).map(
  (r): PutRecordsRequestEntry => ({ Data: Buffer.from(JSON.stringify(r)), PartitionKey: r.uuid }),
);
const batches = Array.from({ length: Math.ceil(records / 500) }, (_, i) => entries.slice(i * 500, (i + 1) * 500));

const client = kinesisClient({ endpoint: values.endpoint, maxAttempts: 1, maxSockets: DEFAULT_CONCURRENCY + 2 });
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: DEFAULT_CONCURRENCY }, async () => {
    for (let batch = batches[next++]; batch; batch = batches[next++]) {
      const out = await client.send(new PutRecordsCommand({ StreamName: values.stream, Records: batch }));
      if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed`);
    }
  }),
);
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000 })}\n`);
client.destroy();

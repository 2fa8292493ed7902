import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startLakehouse, type LocalLakehouse } from '@lakehouse/local';
import { afterAll, beforeAll, expect, it } from 'vitest';

let dataDir: string;
let lake: LocalLakehouse;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'my-tests-'));
  lake = await startLakehouse({ dataDir, port: 0 }); // a free port; Kinesis at lake.endpoint
});

afterAll(async () => {
  await lake.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('lands every event my code sends, queryable with Athena SQL', async () => {
  // Your producer or Lambda code, pointed at the local stream (lake.env has the same for another process).
  const kinesis = lake.kinesisClient();
  const events = ['Active', 'Active', 'Canceled'].map((status, i) => ({
    uuid: crypto.randomUUID(),
    event_date: new Date().toISOString(),
    status,
    name: `Name${i}`,
    last_name: `Last${i}`,
    email: `user${i}@example.com`,
    phone: 900_000_000 + i,
  }));
  await kinesis.send(
    new PutRecordsCommand({
      StreamName: lake.streamName,
      Records: events.map((e) => ({ Data: new TextEncoder().encode(JSON.stringify(e)), PartitionKey: e.uuid })),
    }),
  );
  kinesis.destroy();

  await lake.flush(); // deliver now, as Firehose would after its buffering interval

  const { rows } = await lake.query('SELECT status, count(*) AS n FROM events GROUP BY status ORDER BY status');
  expect(rows).toEqual([
    { status: 'Active', n: 2 },
    { status: 'Canceled', n: 1 },
  ]);
});

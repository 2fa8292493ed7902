import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAKEHOUSE_DEFAULTS } from './defaults';
import { resolveOptions, type LakehouseOptions } from './options';
import { startLakehouse } from './start';
import { encode, eventRecords } from './testing/records';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'start-lakehouse-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('startLakehouse options: typed, defaults as data, a mistake named by its option', () => {
  it('fills in every default', () => {
    const resolved = resolveOptions({}, '/work');
    expect(resolved).toMatchObject({ ...LAKEHOUSE_DEFAULTS, dataDir: '/work/.lakehouse' });
    expect(resolved.bufferInterval).toBeUndefined();
    expect(resolved.settings.streamName).toBe('lakehouse-dev-events');
  });

  it.each<[LakehouseOptions | Record<string, unknown>, string]>([
    [{ port: 70000 }, 'startLakehouse: port: expected a whole number from 0 to 65535, got 70000'],
    [{ port: -1 }, 'startLakehouse: port: expected a whole number from 0 to 65535, got -1'],
    [{ port: 1.5 }, 'startLakehouse: port: expected a whole number from 0 to 65535, got 1.5'],
    [{ port: '4567' }, 'startLakehouse: port: expected a whole number from 0 to 65535, got "4567"'],
    [{ consolePort: 65536 }, 'startLakehouse: consolePort: expected a whole number from 0 to 65535, got 65536'],
    [{ bufferInterval: 901 }, 'startLakehouse: bufferInterval: expected a whole number from 0 to 900, got 901'],
    [{ bufferSize: 0 }, 'startLakehouse: bufferSize: expected a whole number from 1 to 128, got 0'],
    [{ persist: 'yes' }, 'startLakehouse: persist: expected a boolean, got "yes"'],
    [{ dataDir: '' }, 'startLakehouse: dataDir: expected a non-empty string, got ""'],
    [{ environment: 7 }, 'startLakehouse: environment: expected a non-empty string, got 7'],
    [{ environment: 'Prod!' }, 'startLakehouse: environment: expected 2 to 16 lower-case letters or digits starting with a letter, got "Prod!"'],
    [{ prot: 0 }, 'startLakehouse: unknown option prot'],
    [{ onDelivered: 'log' }, 'startLakehouse: onDelivered: expected a function, got "log"'],
    [{ console: 1 }, 'startLakehouse: console: expected a boolean, got 1'],
  ])('%j: %s', (options, message) => {
    expect(() => resolveOptions(options as LakehouseOptions)).toThrow(message);
  });

  it('reports a mistake as a usage error (exit 2), before anything starts', async () => {
    await expect(startLakehouse({ dataDir: join(dir, 'never'), port: 70000 })).rejects.toMatchObject({ code: 'usage', exitCode: 2 });
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('a started lakehouse, as a test suite uses one', () => {
  it('takes records on its endpoint, delivers them on flush(), answers SQL, and stops (await using)', async () => {
    const records = eventRecords(25);
    let endpoint: string;
    {
      await using lake = await startLakehouse({ dataDir: join(dir, 'lake'), port: 0, bufferInterval: 900 });
      endpoint = lake.endpoint;
      expect(lake.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect([lake.streamName, lake.region, lake.consoleUrl]).toEqual(['lakehouse-dev-events', 'us-east-1', undefined]);
      const client = lake.kinesisClient();
      await client.send(new PutRecordsCommand({ StreamName: lake.streamName, Records: records.map((r) => ({ Data: encode(r), PartitionKey: r.uuid })) }));
      client.destroy();

      const flushed = await lake.flush();
      expect(flushed).toMatchObject({ recordsDelivered: 25, recordsFailed: 0 });
      expect(flushed.objects.map((o) => o.key)).toEqual([
        expect.stringMatching(/^events\/year=\d{4}\/month=\d\d\/day=\d\d\/hour=\d\d\/lakehouse-dev-events-to-s3-1-.+\.parquet$/),
      ]);
      expect(await lake.flush()).toMatchObject({ recordsDelivered: 0, objects: [] });

      const { columns, rows } = await lake.query('SELECT count(*) AS n, count(DISTINCT uuid) AS uuids, min(phone) AS phone FROM events');
      expect(columns).toEqual([
        { name: 'n', type: 'bigint' },
        { name: 'uuids', type: 'bigint' },
        { name: 'phone', type: 'bigint' },
      ]);
      expect(rows).toEqual([{ n: 25, uuids: 25, phone: 900_000_000 }]);
      expect((await lake.query('SELECT 7 // 2 AS d', { dialect: 'duckdb' })).rows).toEqual([{ d: 3 }]);
      expect(lake.metrics.totals).toMatchObject({ incomingRecords: 25, deliveredRecords: 25 });
    }
    // Out of its block, it is stopped: the endpoint answers no more.
    await expect(fetch(endpoint)).rejects.toThrow();
  });

  it('gives another process what it needs to send with the AWS CLI or an SDK (env), and stop() reports every object', async () => {
    const lake = await startLakehouse({ dataDir: join(dir, 'env'), port: 0 });
    try {
      expect(lake.env).toEqual({
        AWS_ENDPOINT_URL_KINESIS: lake.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      });
      // Another program, in its own process, with nothing but the environment: the AWS SDK, as a Lambda would use it.
      const script = `
        const { KinesisClient, PutRecordCommand } = require('@aws-sdk/client-kinesis');
        const { NodeHttpHandler } = require('@smithy/node-http-handler');
        const client = new KinesisClient({ requestHandler: new NodeHttpHandler() });
        client.send(new PutRecordCommand({ StreamName: ${JSON.stringify(lake.streamName)}, PartitionKey: 'k', Data: Buffer.from(${JSON.stringify(JSON.stringify(eventRecords(1)[0]))}) }))
          .then((r) => console.log(r.ShardId), (e) => { console.error(e.message); process.exit(1); });`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
        cwd: join(import.meta.dirname, '..'),
        env: { ...process.env, ...lake.env },
      });
      expect(stdout.trim()).toMatch(/^shardId-\d+$/);
    } finally {
      const report = await lake.stop();
      expect(report).toMatchObject({ recordsDelivered: 1, recordsFailed: 0 });
      expect(report.objects).toHaveLength(1);
      expect(await lake.stop()).toBe(report);
    }
  });
});

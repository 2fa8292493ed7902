/**
 * The local Kinesis API against a web page of another origin, in Debian's chromium: every local port is reachable from
 * every page the user opens, and kinesalite alone answers any page (`Access-Control-Allow-Origin: *`), which could
 * then read the stream's records, put forged ones and delete the stream. Through the lake's front, the page gets
 * nothing and changes nothing; the AWS SDK works as before.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLakehouse, type LocalLakehouse } from '@lakehouse/local';
import { launchBrowser, type Browser } from './browser';

describe('the Kinesis API, from a page of another origin in a real browser', () => {
  let dir: string;
  let lake: LocalLakehouse;
  let browser: Browser;
  let foreign: Server;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinesis-front-'));
    lake = await startLakehouse({ dataDir: dir, port: 0, bufferInterval: 900 });
    const client = lake.kinesisClient();
    await client.send(
      new PutRecordsCommand({
        StreamName: lake.streamName,
        Records: [{ Data: new TextEncoder().encode('{"name":"Ada","email":"ada@example.com"}'), PartitionKey: 'ada' }],
      }),
    );
    client.destroy();
    // Another web app on this machine (another port is another origin), as any site the user opens could be.
    foreign = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    foreign?.close();
    await lake?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads nothing, puts nothing, deletes nothing: the browser hands the page no answer', async () => {
    const page = await browser.context.newPage();
    await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
    const attempts = await page.evaluate(
      async ({ endpoint, stream }) => {
        const call = (action: string, body: unknown, mode: RequestMode = 'cors') =>
          fetch(endpoint, {
            method: 'POST',
            mode,
            headers: {
              'Content-Type': 'application/x-amz-json-1.1',
              'X-Amz-Target': `Kinesis_20131202.${action}`,
              'X-Amz-Date': '20260101T000000Z',
              Authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
            },
            body: JSON.stringify(body),
          }).then(
            async (r) => `answered ${r.status} ${await r.text()}`,
            (e: Error) => `refused: ${e.name}`,
          );
        const forged = { StreamName: stream, Records: [{ Data: btoa('{"name":"forged"}'), PartitionKey: 'forged' }] };
        return {
          read: await call('GetShardIterator', { StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
          put: await call('PutRecords', forged),
          delete: await call('DeleteStream', { StreamName: stream }),
          // Without CORS the page can't read the answer, but a request would still be sent: it must change nothing either.
          blindPut: await call('PutRecords', forged, 'no-cors'),
          blindDelete: await call('DeleteStream', { StreamName: stream }, 'no-cors'),
        };
      },
      { endpoint: lake.endpoint, stream: lake.streamName },
    );
    await page.close();
    expect(attempts).toEqual({
      read: 'refused: TypeError',
      put: 'refused: TypeError',
      delete: 'refused: TypeError',
      blindPut: 'answered 0 ',
      blindDelete: 'answered 0 ',
    });
  });

  it('left the stream as it was: still ACTIVE, with only the record the SDK put', async () => {
    const client = lake.kinesisClient();
    try {
      const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: lake.streamName }));
      expect(summary.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
      const texts: string[] = [];
      for (let shard = 0; shard < (summary.StreamDescriptionSummary?.OpenShardCount ?? 0); shard++) {
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({
            StreamName: lake.streamName,
            ShardId: `shardId-${String(shard).padStart(12, '0')}`,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        for (const record of (await client.send(new GetRecordsCommand({ ShardIterator }))).Records ?? []) texts.push(new TextDecoder().decode(record.Data));
      }
      expect(texts).toEqual(['{"name":"Ada","email":"ada@example.com"}']);
    } finally {
      client.destroy();
    }
  });
});

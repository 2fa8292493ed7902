import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Draw, fuzzHttp, send, type FuzzRequest, type FuzzResponse } from '../testing/http-fuzz';
import { startKinesalite, type KinesaliteServer } from './kinesalite';

const STREAM = 'fuzz';
const SEED = 20261207;
const REQUESTS = 1_200;

// DeleteStream left out: the stream stays, so the well-formed calls keep reaching it.
const ACTIONS = [
  'PutRecord',
  'PutRecords',
  'GetRecords',
  'GetShardIterator',
  'DescribeStream',
  'DescribeStreamSummary',
  'ListShards',
  'ListStreams',
  'CreateStream',
  'MergeShards',
  'SplitShard',
  'IncreaseStreamRetentionPeriod',
  'DecreaseStreamRetentionPeriod',
  'AddTagsToStream',
  'ListTagsForStream',
  'RemoveTagsFromStream',
  'UpdateShardCount',
  'SubscribeToShard',
  'EnableEnhancedMonitoring',
];
const FIELDS: Record<string, (d: Draw) => unknown> = {
  StreamName: (d) => d.pick([STREAM, STREAM, 'other', '', d.text(140), 'a'.repeat(200)]),
  ShardId: (d) => d.pick(['shardId-000000000000', 'shardId-000000000001', 'shardId-999', d.text(20)]),
  ShardIteratorType: (d) => d.pick(['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'AT_TIMESTAMP', d.text(10)]),
  StartingSequenceNumber: (d) => d.pick(['0', '49590338271490256608559692538361571095921575989136588898', d.text(60)]),
  ShardIterator: (d) => d.pick([d.text(300), 'AAAAAAAAAAE=', '']),
  Data: (d) => d.pick([d.bytes(200).toString('base64'), 'not base64!', '', 'A'.repeat(2_000_000)]),
  PartitionKey: (d) => d.pick(['k', d.text(300), '']),
  Records: (d) => Array.from({ length: d.pick([0, 1, 3, 501]) }, () => ({ Data: d.bytes(50).toString('base64'), PartitionKey: d.pick(['k', d.text(5), '']) })),
  Limit: (d) => d.pick([0, 1, 10_000, 10_001, -1, 1.5, 'ten']),
  ShardCount: (d) => d.pick([0, 1, 2, 1_000, -3]),
  RetentionPeriodHours: (d) => d.pick([1, 24, 168, 8_760, 100_000]),
  Tags: (d) => ({ [d.text(10)]: d.text(10) }),
  Timestamp: (d) => d.pick([0, 1_767_225_600, 'yesterday', -1]),
  NewStartingHashKey: (d) => d.pick(['1', '340282366920938463463374607431768211455', d.text(10)]),
};

const SDK_HEADERS = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
};

/** Calls an SDK makes, well formed, so that the fuzz also runs between real reads and writes. */
const VALID: Array<[string, (d: Draw) => unknown]> = [
  ['PutRecord', (d) => ({ StreamName: STREAM, Data: d.bytes(100).toString('base64'), PartitionKey: d.text(10) || 'k' })],
  [
    'PutRecords',
    (d) => ({ StreamName: STREAM, Records: Array.from({ length: 1 + d.int(5) }, () => ({ Data: d.bytes(50).toString('base64'), PartitionKey: 'k' })) }),
  ],
  ['ListShards', () => ({ StreamName: STREAM })],
  ['DescribeStreamSummary', () => ({ StreamName: STREAM })],
  ['ListStreams', () => ({})],
  ['GetShardIterator', (d) => ({ StreamName: STREAM, ShardId: d.pick(['shardId-000000000000', 'shardId-000000000001']), ShardIteratorType: 'TRIM_HORIZON' })],
];

/** A Kinesis call, most with the headers an SDK sends, some broken in one way or several. */
function kinesisRequest(draw: Draw, port: number): FuzzRequest {
  if (draw.chance(0.3)) {
    const [action, body] = draw.pick(VALID);
    return {
      method: 'POST',
      path: '/',
      headers: { host: `127.0.0.1:${port}`, ...SDK_HEADERS, 'x-amz-target': `Kinesis_20131202.${action}` },
      body: JSON.stringify(body(draw)),
    };
  }
  const host = draw.chance(0.92) ? draw.pick([`127.0.0.1:${port}`, `localhost:${port}`]) : draw.pick(['evil.example', `127.0.0.1:${port + 1}`, '']);
  if (draw.chance(0.04)) {
    const garbage = draw.pick([
      `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\n\r\n{"a":`,
      `POST / HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `${draw.text(30)}\r\n\r\n`,
      `POST / HTTP/1.1\r\nHost: ${host}\r\nX-Amz-Target: Kinesis_20131202.PutRecord\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n{}`,
    ]);
    return { method: 'RAW', path: '', headers: {}, raw: Buffer.from(garbage, 'latin1') };
  }
  const headers: Record<string, string> = {};
  if (host !== '') headers.host = host;
  if (draw.chance(0.85)) headers['x-amz-target'] = draw.chance(0.9) ? `Kinesis_20131202.${draw.pick(ACTIONS)}` : draw.text(40);
  if (draw.chance(0.85))
    headers['content-type'] = draw.pick(['application/x-amz-json-1.1', 'application/x-amz-json-1.1', 'application/json', 'text/plain', draw.text(20)]);
  if (draw.chance(0.85))
    headers.authorization = draw.chance(0.9)
      ? 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0'
      : draw.text(40);
  if (draw.chance(0.8)) headers['x-amz-date'] = draw.chance(0.9) ? '20260101T000000Z' : draw.text(16);
  if (draw.chance(0.05)) headers.origin = draw.pick(['http://evil.example', 'null', `http://127.0.0.1:${port}`]);
  if (draw.chance(0.03)) headers['sec-fetch-site'] = draw.pick(['cross-site', 'same-origin', 'none']);
  let body: string | Buffer;
  const shape = draw.int(10);
  if (shape < 7) {
    const fields = Object.keys(FIELDS).filter(() => draw.chance(0.3));
    if (draw.chance(0.7)) fields.push('StreamName');
    body = JSON.stringify(Object.fromEntries(fields.map((name) => [name, (FIELDS[name] as (d: Draw) => unknown)(draw)])));
  } else if (shape < 9) body = JSON.stringify(draw.json());
  else body = draw.bytes(300);
  return {
    method: draw.chance(0.93) ? 'POST' : draw.pick(['GET', 'PUT', 'OPTIONS', 'DELETE', 'HEAD']),
    path: draw.chance(0.95) ? '/' : `/${draw.text(20).replace(/[^\w/]/g, '')}`,
    headers,
    body,
  };
}

/**
 * What AWS answers with a 5xx: only its own failures (InternalFailure, ServiceUnavailable), never a request's
 * mistake. The local front and kinesalite must answer a bad request with a 4xx as Kinesis does.
 */
function checkKinesisAnswer(response: FuzzResponse, request: FuzzRequest): void {
  if (request.raw) {
    expect(response.status === 0 || response.status < 500, `status ${response.status}`).toBe(true);
    return;
  }
  expect(response.status, response.body.slice(0, 300)).toBeGreaterThanOrEqual(200);
  expect(response.status, response.body.slice(0, 300)).toBeLessThan(500);
  expect(response.headers['access-control-allow-origin'], 'a CORS header').toBeUndefined();
}

describe('the Kinesis front under a seeded fuzz: random targets, bodies and headers', () => {
  let server: KinesaliteServer;

  beforeAll(async () => {
    server = await startKinesalite({ port: 0, stream: { name: STREAM, shardCount: 2 } });
  });
  afterAll(() => server?.close());

  it('survives a request whose chunked body is malformed (kinesalite rethrew that failure, which ended the worker)', async () => {
    const broken = `POST / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`;
    expect((await send(server.port, { method: 'RAW', path: '', headers: {}, raw: Buffer.from(broken) })).status).toBe(400);
    const after = await send(server.port, {
      method: 'POST',
      path: '/',
      headers: { host: `127.0.0.1:${server.port}`, ...SDK_HEADERS, 'x-amz-target': 'Kinesis_20131202.ListStreams' },
      body: '{}',
    });
    expect(after.status).toBe(200);
  });

  it(`answers ${REQUESTS} requests (seed ${SEED}) with no 5xx and no CORS header, and still serves afterwards`, async () => {
    const statuses = await fuzzHttp({
      port: server.port,
      seed: SEED,
      count: REQUESTS,
      make: (draw) => kinesisRequest(draw, server.port),
      check: checkKinesisAnswer,
    });
    // The fuzz reached kinesalite, not only the front's refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(200);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
    const after = await send(server.port, {
      method: 'POST',
      path: '/',
      headers: { host: `127.0.0.1:${server.port}`, ...SDK_HEADERS, 'x-amz-target': 'Kinesis_20131202.ListStreams' },
      body: '{}',
    });
    expect(after.status).toBe(200);
  }, 30_000);
});

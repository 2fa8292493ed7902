/**
 * A test double for the faults kinesalite never makes: a proxy on 127.0.0.1 speaking the Kinesis JSON
 * protocol in front of kinesalite. It throttles each shard like AWS (ProvisionedThroughputExceededException
 * per entry over 1,000 records/s), fails a share of entries with InternalFailure, answers some requests
 * with HTTP 500, and drops connections, before or after the records were stored. Everything else passes through.
 */
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Records each shard takes per second (AWS: 1,000). */
  shardRecordsPerSecond: number;
  /** Share of the entries within the limit that fail with InternalFailure. */
  internalFailureRate: number;
  /** Share of PutRecords requests answered with HTTP 500 InternalFailure, storing nothing. */
  http500Rate: number;
  /** Share of PutRecords requests whose connection is dropped before anything is stored. */
  dropBeforeRate: number;
  /** Share of PutRecords requests whose connection is dropped after the records were stored. */
  dropAfterRate: number;
  seed: number;
  /** Refuse every request signed with this access key, as AWS refuses an unknown one. */
  refuseAccessKey?: string;
}

export interface FaultStats {
  requests: number;
  throttled: number;
  internalFailures: number;
  http500: number;
  droppedBefore: number;
  droppedAfter: number;
  /** Records stored by requests whose connection was then dropped: the client can't know they landed. */
  storedThenDropped: number;
}

interface ShardRange {
  shardId: string;
  start: bigint;
  end: bigint;
}

interface PutRecordsRequest {
  StreamName: string;
  Records: Array<{ Data: string; PartitionKey: string; ExplicitHashKey?: string }>;
}

type EntryResult = { SequenceNumber: string; ShardId: string } | { ErrorCode: string; ErrorMessage: string };

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

type RequestLine = Pick<IncomingMessage, 'method' | 'url' | 'headers'>;

function forward(upstream: URL, req: RequestLine, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection') headers[name] = value;
  }
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
      readBody(res).then(
        (data) => resolve({ status: res.statusCode ?? 500, headers: { 'content-type': String(res.headers['content-type'] ?? 'application/x-amz-json-1.1') }, body: data }),
        reject,
      );
    });
    out.on('error', reject).end(body);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) }).end(text);
}

export async function startFaultyKinesis(
  upstreamEndpoint: string,
  faults: Faults,
): Promise<{ endpoint: string; stats: FaultStats; close(): Promise<void> }> {
  const upstream = new URL(upstreamEndpoint);
  const random = seededRandom(faults.seed);
  const stats: FaultStats = { requests: 0, throttled: 0, internalFailures: 0, http500: 0, droppedBefore: 0, droppedAfter: 0, storedThenDropped: 0 };
  const shardsByStream = new Map<string, Promise<ShardRange[]>>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  const shardsOf = (req: IncomingMessage, streamName: string) => {
    let shards = shardsByStream.get(streamName);
    if (!shards) {
      const body = Buffer.from(JSON.stringify({ StreamName: streamName }));
      const listShards: RequestLine = { method: req.method, url: req.url, headers: { ...req.headers, 'x-amz-target': 'Kinesis_20131202.ListShards' } };
      shards = forward(upstream, listShards, body).then(({ body: data }) =>
        (JSON.parse(data.toString()) as { Shards: Array<{ ShardId: string; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } }> }).Shards.map((s) => ({
          shardId: s.ShardId,
          start: BigInt(s.HashKeyRange.StartingHashKey),
          end: BigInt(s.HashKeyRange.EndingHashKey),
        })),
      );
      shardsByStream.set(streamName, shards);
    }
    return shards;
  };

  /** Whether the shard has room for one more record now (token bucket holding one second's worth). */
  const admit = (shardId: string): boolean => {
    const now = performance.now();
    const bucket = buckets.get(shardId) ?? { tokens: faults.shardRecordsPerSecond, at: now };
    bucket.tokens = Math.min(faults.shardRecordsPerSecond, bucket.tokens + ((now - bucket.at) * faults.shardRecordsPerSecond) / 1000);
    bucket.at = now;
    buckets.set(shardId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  const putRecords = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    stats.requests++;
    const roll = random();
    if (roll < faults.dropBeforeRate) {
      stats.droppedBefore++;
      return void req.socket.destroy();
    }
    if (roll < faults.dropBeforeRate + faults.http500Rate) {
      stats.http500++;
      return reply(res, 500, { __type: 'InternalFailure', message: 'injected: internal failure' });
    }
    const dropAfter = roll < faults.dropBeforeRate + faults.http500Rate + faults.dropAfterRate;
    const input = JSON.parse(body.toString()) as PutRecordsRequest;
    const shards = await shardsOf(req, input.StreamName);
    const results: Array<EntryResult | undefined> = new Array(input.Records.length);
    const passed: number[] = [];
    input.Records.forEach((record, i) => {
      const hash = BigInt(`0x${createHash('md5').update(record.PartitionKey).digest('hex')}`);
      const shard = shards.find((s) => hash >= s.start && hash <= s.end);
      if (!shard || !admit(shard.shardId)) {
        stats.throttled++;
        results[i] = { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: `Rate exceeded for shard ${shard?.shardId} (injected)` };
      } else if (random() < faults.internalFailureRate) {
        stats.internalFailures++;
        results[i] = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure (injected)' };
      } else {
        passed.push(i);
      }
    });
    if (passed.length > 0) {
      const subset = { ...input, Records: passed.map((i) => input.Records[i]) };
      const answer = await forward(upstream, req, Buffer.from(JSON.stringify(subset)));
      if (answer.status !== 200) return void res.writeHead(answer.status, answer.headers).end(answer.body);
      const stored = (JSON.parse(answer.body.toString()) as { Records: EntryResult[] }).Records;
      passed.forEach((index, k) => (results[index] = stored[k]));
    }
    if (dropAfter) {
      stats.droppedAfter++;
      stats.storedThenDropped += passed.length;
      return void req.socket.destroy();
    }
    const records = results.map((r) => r ?? { ErrorCode: 'InternalFailure', ErrorMessage: 'no result' });
    reply(res, 200, { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records });
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        if (faults.refuseAccessKey && req.headers.authorization?.includes(`Credential=${faults.refuseAccessKey}/`)) {
          return reply(res, 400, { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
        }
        if (req.headers['x-amz-target'] === 'Kinesis_20131202.PutRecords') return putRecords(req, res, body);
        const answer = await forward(upstream, req, body);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      })
      .catch((error: Error) => reply(res, 500, { __type: 'InternalFailure', message: `proxy: ${error.message}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

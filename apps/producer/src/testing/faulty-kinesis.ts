/**
 * A test double for the faults kinesalite never makes: a proxy on 127.0.0.1 speaking the Kinesis JSON protocol in
 * front of kinesalite. It throttles each shard like AWS (ProvisionedThroughputExceededException per entry over its
 * records/s or bytes/s), fails a share of entries with InternalFailure, answers some requests with HTTP 500, and
 * drops connections, before or after the records were stored; it denies the actions an IAM policy would leave out.
 * Everything else (ListShards, DescribeStreamSummary, GetRecords, …) passes through. Its clock can be virtual, so that
 * what it throttles depends on what was sent, not on how fast the machine is.
 */
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '@lakehouse/runtime';

export interface Faults {
  /** Records each shard takes per second (AWS: 1,000). */
  shardRecordsPerSecond: number;
  /** Bytes (data + partition key) each shard takes per second (AWS: 1 MiB, the default). */
  shardBytesPerSecond?: number;
  /** Share of the entries within the limit that fail with InternalFailure. */
  internalFailureRate: number;
  /** Share of PutRecords requests answered with HTTP 500 InternalFailure, storing nothing. */
  http500Rate: number;
  /** Share of PutRecords requests whose connection is dropped before anything is stored. */
  dropBeforeRate: number;
  /** Share of PutRecords requests whose connection is dropped after the records were stored. */
  dropAfterRate: number;
  /** Seeds the rolls: the k-th request and the k-th admitted entry always roll the same, whatever the timing. */
  seed: number;
  /** Refuse every request signed with this access key, as AWS refuses an unknown one. */
  refuseAccessKey?: string;
  /** Actions the caller's IAM policy does not allow (`DescribeStreamSummary`): AccessDeniedException, as AWS answers. */
  deniedActions?: readonly string[];
  /**
   * A virtual clock for the throttling: each entry offered (in any PutRecords request, whatever becomes of it) moves
   * it on by this many milliseconds; 0: it never moves, each shard takes one second's worth and no more. So what is
   * throttled depends on what was sent, not on how fast the machine is. Absent: wall-clock time.
   */
  virtualMsPerEntry?: number;
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
  /** The partition keys of those records. */
  storedThenDroppedKeys: string[];
  /** Per shard: entries throttled, and entries and bytes (data + partition key) stored. */
  shards: Record<string, { throttled: number; records: number; bytes: number }>;
  /** The double's clock (ms) at its first and latest PutRecords request. */
  firstRequestAt?: number;
  lastRequestAt?: number;
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

const MiB = 1_048_576;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

type RequestLine = Pick<IncomingMessage, 'method' | 'url' | 'headers'>;
type Answer = { status: number; headers: Record<string, string>; body: Buffer };

function forward(upstream: URL, req: RequestLine, body: Buffer): Promise<Answer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection') headers[name] = value;
  }
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
      readBody(res).then(
        (data) =>
          resolve({
            status: res.statusCode ?? 500,
            headers: { 'content-type': String(res.headers['content-type'] ?? 'application/x-amz-json-1.1') },
            body: data,
          }),
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

/** A shard's capacity as AWS meters it: a records bucket and a bytes bucket, each holding at most one second's worth. */
class ShardBuckets {
  private records: number;
  private bytes: number;

  constructor(
    private readonly limits: { records: number; bytes: number },
    private at: number,
  ) {
    [this.records, this.bytes] = [limits.records, limits.bytes];
  }

  /** Takes one entry of `size` bytes if both buckets have room for it now. */
  admit(size: number, now: number): boolean {
    const seconds = Math.max(0, now - this.at) / 1000;
    this.at = now;
    this.records = Math.min(this.limits.records, this.records + seconds * this.limits.records);
    this.bytes = Math.min(this.limits.bytes, this.bytes + seconds * this.limits.bytes);
    if (this.records < 1 || this.bytes < size) return false;
    this.records -= 1;
    this.bytes -= size;
    return true;
  }
}

/** The double's own view of each stream's shards (from kinesalite), learnt again when a stored record says it changed. */
class ShardRoutes {
  private readonly byStream = new Map<string, Promise<ShardRange[]>>();

  constructor(private readonly upstream: URL) {}

  shardsOf(req: RequestLine, streamName: string): Promise<ShardRange[]> {
    let shards = this.byStream.get(streamName);
    if (!shards) {
      const listShards: RequestLine = { method: req.method, url: req.url, headers: { ...req.headers, 'x-amz-target': 'Kinesis_20131202.ListShards' } };
      shards = forward(this.upstream, listShards, Buffer.from(JSON.stringify({ StreamName: streamName }))).then(({ body }) => openShards(body));
      this.byStream.set(streamName, shards);
    }
    return shards;
  }

  forget(streamName: string): void {
    this.byStream.delete(streamName);
  }
}

function openShards(listShardsBody: Buffer): ShardRange[] {
  type Listed = { ShardId: string; HashKeyRange: { StartingHashKey: string; EndingHashKey: string }; SequenceNumberRange: { EndingSequenceNumber?: string } };
  const { Shards } = JSON.parse(listShardsBody.toString()) as { Shards: Listed[] };
  return Shards.filter((s) => s.SequenceNumberRange.EndingSequenceNumber === undefined).map((s) => ({
    shardId: s.ShardId,
    start: BigInt(s.HashKeyRange.StartingHashKey),
    end: BigInt(s.HashKeyRange.EndingHashKey),
  }));
}

const hashKeyOf = (record: PutRecordsRequest['Records'][number]) =>
  record.ExplicitHashKey !== undefined ? BigInt(record.ExplicitHashKey) : BigInt(`0x${createHash('md5').update(record.PartitionKey, 'utf8').digest('hex')}`);

/** The double's state and its handling of PutRecords. */
class FaultyKinesis {
  /** Entries offered so far: the virtual clock's ticks. */
  private offered = 0;
  readonly stats: FaultStats = {
    requests: 0,
    throttled: 0,
    internalFailures: 0,
    http500: 0,
    droppedBefore: 0,
    droppedAfter: 0,
    storedThenDropped: 0,
    storedThenDroppedKeys: [],
    shards: {},
  };
  private readonly requestRoll: () => number;
  private readonly entryRoll: () => number;
  private readonly routes: ShardRoutes;
  private readonly buckets = new Map<string, ShardBuckets>();

  constructor(
    private readonly upstream: URL,
    private readonly faults: Faults,
  ) {
    this.requestRoll = seededRandom(faults.seed);
    this.entryRoll = seededRandom(faults.seed ^ 0x5bd1e995);
    this.routes = new ShardRoutes(upstream);
  }

  /** The double's clock: wall time, or virtual time moved on by each entry offered. */
  private now(): number {
    const step = this.faults.virtualMsPerEntry;
    return step === undefined ? performance.now() : this.offered * step;
  }

  private shardStats(shardId: string) {
    return (this.stats.shards[shardId] ??= { throttled: 0, records: 0, bytes: 0 });
  }

  /** Whether the shard takes an entry now, as AWS meters it. */
  private admit(shardId: string, size: number): boolean {
    let bucket = this.buckets.get(shardId);
    const limits = { records: this.faults.shardRecordsPerSecond, bytes: this.faults.shardBytesPerSecond ?? MiB };
    if (!bucket) this.buckets.set(shardId, (bucket = new ShardBuckets(limits, this.now())));
    return bucket.admit(size, this.now());
  }

  async putRecords(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const input = JSON.parse(body.toString()) as PutRecordsRequest;
    this.stats.requests++;
    this.offered += input.Records.length;
    this.stats.firstRequestAt ??= this.now();
    this.stats.lastRequestAt = this.now();
    const roll = this.requestRoll();
    const { dropBeforeRate, http500Rate, dropAfterRate } = this.faults;
    if (roll < dropBeforeRate) {
      this.stats.droppedBefore++;
      return void req.socket.destroy();
    }
    if (roll < dropBeforeRate + http500Rate) {
      this.stats.http500++;
      return reply(res, 500, { __type: 'InternalFailure', message: 'injected: internal failure' });
    }
    const { results, passed } = await this.admitEntries(req, input);
    const refused = await this.store(req, input, passed, results);
    if (refused) return void res.writeHead(refused.status, refused.headers).end(refused.body);
    if (roll < dropBeforeRate + http500Rate + dropAfterRate) {
      this.stats.droppedAfter++;
      this.stats.storedThenDropped += passed.length;
      this.stats.storedThenDroppedKeys.push(...passed.map((i) => input.Records[i]?.PartitionKey ?? ''));
      return void req.socket.destroy();
    }
    const records = results.map((r) => r ?? { ErrorCode: 'InternalFailure', ErrorMessage: 'no result' });
    reply(res, 200, { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records });
  }

  /** Each entry throttled (its shard is over a limit), failed (the injected share) or passed on to be stored. */
  private async admitEntries(req: IncomingMessage, input: PutRecordsRequest): Promise<{ results: Array<EntryResult | undefined>; passed: number[] }> {
    const shards = await this.routes.shardsOf(req, input.StreamName);
    const results: Array<EntryResult | undefined> = new Array(input.Records.length);
    const passed: number[] = [];
    input.Records.forEach((record, i) => {
      const hash = hashKeyOf(record);
      const shardId = shards.find((s) => hash >= s.start && hash <= s.end)?.shardId ?? 'unmapped';
      const size = Buffer.byteLength(record.Data, 'base64') + Buffer.byteLength(record.PartitionKey);
      if (!this.admit(shardId, size)) {
        this.stats.throttled++;
        this.shardStats(shardId).throttled++;
        results[i] = {
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage: `Rate exceeded for shard ${shardId} in stream ${input.StreamName} under account 000000000000 (injected).`,
        };
      } else if (this.entryRoll() < this.faults.internalFailureRate) {
        this.stats.internalFailures++;
        results[i] = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure (injected)' };
      } else {
        passed.push(i);
      }
    });
    return { results, passed };
  }

  /** Stores the passed entries in kinesalite and counts them per shard; kinesalite's answer if it refused them. */
  private async store(req: IncomingMessage, input: PutRecordsRequest, passed: number[], results: Array<EntryResult | undefined>): Promise<Answer | undefined> {
    if (passed.length === 0) return undefined;
    const subset = { ...input, Records: passed.map((i) => input.Records[i]) };
    const answer = await forward(this.upstream, req, Buffer.from(JSON.stringify(subset)));
    if (answer.status !== 200) return answer;
    const stored = (JSON.parse(answer.body.toString()) as { Records: EntryResult[] }).Records;
    const shards = await this.routes.shardsOf(req, input.StreamName);
    passed.forEach((index, k) => {
      const result = stored[k] as EntryResult;
      results[index] = result;
      if (!('ShardId' in result)) return;
      const record = input.Records[index] as PutRecordsRequest['Records'][number];
      const shard = this.shardStats(result.ShardId);
      shard.records++;
      shard.bytes += Buffer.byteLength(record.Data, 'base64') + Buffer.byteLength(record.PartitionKey);
      // Stored on a shard the double's map doesn't have: the stream was resharded, learn it again.
      if (!shards.some((s) => s.shardId === result.ShardId)) this.routes.forget(input.StreamName);
    });
    return undefined;
  }
}

export async function startFaultyKinesis(upstreamEndpoint: string, faults: Faults): Promise<{ endpoint: string; stats: FaultStats; close(): Promise<void> }> {
  const upstream = new URL(upstreamEndpoint);
  const double = new FaultyKinesis(upstream, faults);
  const server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        if (faults.refuseAccessKey && req.headers.authorization?.includes(`Credential=${faults.refuseAccessKey}/`)) {
          return reply(res, 400, { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
        }
        const action = String(req.headers['x-amz-target'] ?? '').replace('Kinesis_20131202.', '');
        if (faults.deniedActions?.includes(action)) {
          return reply(res, 400, {
            __type: 'AccessDeniedException',
            message: `User: arn:aws:sts::123456789012:assumed-role/producer/session is not authorized to perform: kinesis:${action}`,
          });
        }
        if (action === 'PutRecords') return double.putRecords(req, res, body);
        const answer = await forward(upstream, req, body);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      })
      .catch((error: Error) => reply(res, 500, { __type: 'InternalFailure', message: `proxy: ${error.message}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: double.stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The throttled run of `producer:bench`: `producer:send` against 4 shards behind the throttling double (each shard takes
 * AWS's 1,000 records/s and 1 MiB/s, and a second's worth at once), generated events of ~200 bytes (~235 as Kinesis
 * counts them, with the uuid key). Three ways, each with a fresh kinesalite and producer process:
 *   - no per-shard pacing: the producer as it was (`--before-cli`: a checkout of it), or this one with limits set far
 *     above the shards', sending and retrying;
 *   - paced (the default on AWS and at an endpoint);
 *   - paced, with --aggregate.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '@lakehouse/aws';
import type { Summary } from '../src/report/summary';
import { createRecordGenerator } from '../src/source/generate';
import { startFaultyKinesis, type FaultStats } from '../src/testing/faulty-kinesis';
import { createStream } from '../src/testing/kinesis';

export const SHARD_LIMITS = { recordsPerSecond: 1_000, bytesPerSecond: 1_048_576 };
const UNPACED = ['--shard-records-per-second', '1000000000', '--shard-bytes-per-second', '1000000000'];

export interface ThrottledRow {
  what: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  /** Kinesis records/s or bytes/s against the shards' nominal limits (the issue's "76% of the 4,000 records/s limit"). */
  ofNominal: number;
  /** What the double stored against what the shards could take between its first and last request, burst included. */
  ofCapacity: number;
  throttled: number;
  kinesisRecords: number;
  calls: number;
}

export interface ThrottledOptions {
  shards: number;
  /** Records for the runs without and with --aggregate (about 15 s each at the limits). */
  records: { plain: number; aggregate: number };
  /** A fresh kinesalite in its own process, with a stream of `shards` shards named `stream`. */
  withServer: <T>(use: (endpoint: string) => Promise<T>) => Promise<T>;
  stream: string;
  /** Runs `producer:send` with these flags in a fresh process (of another CLI: the one before); its stdout. */
  send: (args: string[], cli?: string) => Promise<string>;
  /** The CLI of the producer before per-shard pacing (`apps/producer/src/cli.ts` of a checkout), if given. */
  beforeCli?: string;
}

/**
 * How near the shards' limits a run came, by whichever limit binds (records or bytes): its Kinesis records/s and
 * bytes/s over the run against the shards' nominal rates; and what the double stored against what the shards could
 * take between its first and last request, their one-second burst included.
 */
function shares(stats: FaultStats, shards: number, seconds: number, kinesisRecords: number) {
  const window = ((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 1000;
  const stored = (key: 'records' | 'bytes') => Object.values(stats.shards).reduce((sum, s) => sum + s[key], 0);
  const capacity = (perSecond: number) => shards * perSecond * (1 + window);
  const ofCapacity = Math.max(stored('records') / capacity(SHARD_LIMITS.recordsPerSecond), stored('bytes') / capacity(SHARD_LIMITS.bytesPerSecond));
  const perSecond = (n: number) => n / seconds;
  const ofNominal = Math.max(
    perSecond(kinesisRecords) / (shards * SHARD_LIMITS.recordsPerSecond),
    perSecond(stored('bytes')) / (shards * SHARD_LIMITS.bytesPerSecond),
  );
  return { ofCapacity, ofNominal };
}

/** Warms a fresh kinesalite up (its first writes are slow), on a stream of its own: AWS is never cold. */
async function warmUp(endpoint: string, shards: number): Promise<void> {
  const client = kinesisClient({ endpoint });
  await createStream(client, 'warm-up', shards);
  const records = Array.from({ length: 5_000 }, createRecordGenerator({ seed: 1 }));
  for (let i = 0; i < records.length; i += 500) {
    await client.send(
      new PutRecordsCommand({
        StreamName: 'warm-up',
        Records: records.slice(i, i + 500).map((r) => ({ Data: Buffer.from(JSON.stringify(r)), PartitionKey: r.uuid })),
      }),
    );
  }
  client.destroy();
}

async function throttledRun(what: string, records: number, flags: string[], options: ThrottledOptions, cli?: string): Promise<ThrottledRow> {
  return options.withServer(async (endpoint) => {
    await warmUp(endpoint, options.shards);
    const double = await startFaultyKinesis(endpoint, {
      shardRecordsPerSecond: SHARD_LIMITS.recordsPerSecond,
      shardBytesPerSecond: SHARD_LIMITS.bytesPerSecond,
      internalFailureRate: 0,
      http500Rate: 0,
      dropBeforeRate: 0,
      dropAfterRate: 0,
      seed: 1,
    });
    try {
      const stdout = await options.send(['--endpoint', double.endpoint, '--stream', options.stream, '--amount', String(records), '--json', ...flags], cli);
      const summary = JSON.parse(stdout) as Summary;
      if (summary.sent !== records) throw new Error(`${what}: sent ${summary.sent} of ${records}`);
      // The producer before this one counted neither: the double did.
      const { seconds, throttled = double.stats.throttled, kinesisRecords = summary.sent } = summary;
      const { ofCapacity, ofNominal } = shares(double.stats, options.shards, seconds, kinesisRecords);
      return {
        what,
        records,
        seconds,
        recordsPerSecond: records / seconds,
        ofNominal,
        ofCapacity,
        throttled,
        kinesisRecords,
        calls: summary.putRecords?.calls ?? 0,
      };
    } finally {
      await double.close();
    }
  });
}

/** The three runs, one after another. */
export async function throttledRuns(options: ThrottledOptions): Promise<ThrottledRow[]> {
  const { plain, aggregate } = options.records;
  const before = options.beforeCli
    ? await throttledRun('the producer before (no pacing)', plain, [], options, options.beforeCli)
    : await throttledRun('no per-shard pacing (limits far above)', plain, UNPACED, options);
  return [
    before,
    await throttledRun('paced per shard (the default)', plain, [], options),
    await throttledRun('paced per shard, --aggregate', aggregate, ['--aggregate'], options),
  ];
}

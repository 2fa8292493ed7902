import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventRecord } from '@lakehouse/schema';
import { describe, expect, it } from 'vitest';
import { EXIT, type Clock } from '@lakehouse/runtime';
import { DeadLetterFile } from '../report/dead-letter';
import { Tally } from '../report/tally';
import { createRecordGenerator } from '../source/generate';
import { generatedItems, type SourceItem } from '../source/items';
import { paced, until } from '../source/pacing';
import { validEntries } from '../source/validate';
import { virtualClock } from '@lakehouse/runtime/testing';
import { createStream, readStream } from '../testing/kinesis';
import { useKinesalite } from '../testing/use-kinesalite';
import { putRecords } from './put-records';

const kinesis = useKinesalite({ maxAttempts: 1 });

let streams = 0;
async function newStream(shards: number): Promise<string> {
  const name = `send-${++streams}`;
  await createStream(kinesis.client, name, shards);
  return name;
}

const validation = (tally: Tally, partitionKey: keyof EventRecord = 'uuid') =>
  ({ partitionKey, onInvalid: 'fail', noun: 'record', tally, onRejected: () => undefined, onStop: () => undefined }) as const;

async function send(streamName: string, records: EventRecord[], options: { partitionKey?: keyof EventRecord; rate?: number; clock?: Clock } = {}) {
  const tally = new Tally();
  const deadLetter = new DeadLetterFile(join(await mkdtemp(join(tmpdir(), 'send-')), 'dead.ndjson'));
  let next = 0;
  const items = generatedItems(() => records[next++] as EventRecord, records.length);
  const source = options.rate ? paced(items, options.rate, options.clock) : items;
  const delivered: string[] = [];
  const end = await putRecords(validEntries(source, validation(tally, options.partitionKey)), {
    client: kinesis.client,
    streamName,
    tally,
    deadLetter,
    concurrency: 4,
    onSent: (entries) => delivered.push(...entries.map((e) => e.json)),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await deadLetter.close();
  return { tally, delivered, deadLetter, end };
}

const generate = (n: number, seed = 1) => Array.from({ length: n }, createRecordGenerator({ seed }));

describe('putRecords against a real Kinesis API (kinesalite)', () => {
  it('puts N records in: exactly N distinct uuids come back, spread over every shard', async () => {
    const stream = await newStream(4);
    const records = generate(5_000);
    const { tally, delivered } = await send(stream, records);

    const stored = await readStream(kinesis.client, stream);
    const uuids = stored.map((r) => (JSON.parse(r.data) as EventRecord).uuid);
    expect(stored).toHaveLength(records.length);
    expect(new Set(uuids)).toEqual(new Set(records.map((r) => r.uuid)));
    for (const r of stored) expect(r.partitionKey).toBe((JSON.parse(r.data) as EventRecord).uuid);

    const perShard = new Map<string, number>();
    for (const r of stored) perShard.set(r.shardId, (perShard.get(r.shardId) ?? 0) + 1);
    expect(perShard.size).toBe(4);
    for (const [, count] of perShard) expect(count).toBeGreaterThan(records.length * 0.15);

    expect([tally.requested, tally.sent, tally.rejected, tally.deadLettered, tally.retried]).toEqual([5_000, 5_000, 0, 0, 0]);
    expect(tally.latency.count).toBe(10); // 500 records per PutRecords
    expect(delivered.sort()).toEqual(stored.map((r) => r.data).sort());
  });

  it('keys records by --partition-key: three statuses, at most three shards', async () => {
    const stream = await newStream(8);
    await send(stream, generate(600, 2), { partitionKey: 'status' });
    const stored = await readStream(kinesis.client, stream);
    expect(new Set(stored.map((r) => r.partitionKey))).toEqual(new Set(['Active', 'Inactive', 'Canceled']));
    expect(new Set(stored.map((r) => r.shardId)).size).toBeLessThanOrEqual(3);
  });

  it('sends a slow, steady source in small batches as it comes, not held back to fill 500', async () => {
    const stream = await newStream(2);
    // Virtual time: the source's pacing and the batches' linger wait on it, kinesalite answers in none of it.
    const clock = virtualClock();
    const { tally } = await send(stream, generate(120, 3), { rate: 200, clock });
    // 120 records at 200/s: the last is due at 595 ms; it goes once it has lingered 100 ms, in a batch of its own
    // or with the few before it.
    expect(clock.now()).toBeGreaterThanOrEqual(595);
    expect(clock.now()).toBeLessThanOrEqual(700);
    // One PutRecords per 100 ms linger, each of the ~20 records that came in it: six of them.
    expect(tally.latency.count).toBe(6);
    expect(await readStream(kinesis.client, stream)).toHaveLength(120);
  });
});

describe('putRecords on a fatal error: nothing lost, the source ended', () => {
  it('dead-letters every record when the stream does not exist, and says so', async () => {
    const records = generate(1_200, 4);
    const { tally, deadLetter, end } = await send('no-such-stream', records);
    expect(end.fatal?.exitCode).toBe(EXIT.missing);
    expect(end.fatal?.message).toMatch(/^stream "no-such-stream" failed while sending \(ResourceNotFoundException\)/);
    expect(tally.sent).toBe(0);
    expect(tally.deadLettered + tally.sent + tally.rejected).toBe(tally.requested);
    const lines = (await readFile(deadLetter.path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(tally.deadLettered);
    const uuids = new Set(lines.map((l) => (JSON.parse(l) as EventRecord).uuid));
    expect(uuids.size).toBe(lines.length);
    expect(records.slice(0, tally.requested).every((r) => uuids.has(r.uuid))).toBe(true);
  });

  it('on a fatal error, ends a source waiting for input at once, and dead-letters every record it had taken', async () => {
    const halt = new AbortController();
    const tally = new Tally();
    const deadLetter = new DeadLetterFile(join(await mkdtemp(join(tmpdir(), 'send-')), 'dead.ndjson'));
    const clock = virtualClock();
    // 300 records, then nothing, as stdin left open: the first request goes after its 100 ms linger (virtual time)
    // while the source waits; only the end the fatal error asks for stops it (without it, this test never ends).
    async function* thenWaiting(source: AsyncIterable<SourceItem[]>): AsyncGenerator<SourceItem[]> {
      yield* source;
      await new Promise(() => undefined);
    }
    const slow = until(thenWaiting(generatedItems(createRecordGenerator(), 300)), { signal: halt.signal }, clock);
    const end = await putRecords(validEntries(slow, validation(tally)), {
      client: kinesis.client,
      streamName: 'no-such-stream',
      tally,
      deadLetter,
      concurrency: 4,
      onFatal: () => halt.abort(),
      clock,
    });
    await deadLetter.close();
    expect(clock.now()).toBe(100);
    expect(end.fatal?.exitCode).toBe(EXIT.missing);
    expect(tally.requested).toBe(300);
    expect(tally.deadLettered).toBe(tally.requested);
    expect((await readFile(deadLetter.path, 'utf8')).trimEnd().split('\n')).toHaveLength(tally.requested);
  });
});

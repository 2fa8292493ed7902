import type { PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { entrySize, type Entry } from '../entry';
import { MISSING_RESULT, sortAnswer, THROTTLED, type PutAnswer } from './put-answer';
import { plainEntry, type PutEntry } from './put-entry';

const record = (key: string): Entry => ({ json: `{"k":"${key}"}`, partitionKey: key, size: entrySize(`{"k":"${key}"}`, key) });
const on = (shardId: string | undefined, key: string) => plainEntry(record(key), shardId);
/** An aggregate of two records, as the shard map sent it to `shardId`. */
const aggregate = (shardId: string, key: string): PutEntry => ({
  data: new Uint8Array(8),
  partitionKey: key,
  size: 40,
  shardId,
  records: [record(key), record(`${key}2`)],
});

const stored = (shardId: string): PutRecordsResultEntry => ({ SequenceNumber: '1', ShardId: shardId });
const refused = (code: string): PutRecordsResultEntry => ({ ErrorCode: code, ErrorMessage: code });

const [a, b, c] = [on('s1', 'a'), on('s2', 'b'), on('s1', 'c')];
const [noMap, agg] = [on(undefined, 'n'), aggregate('s1', 'g')];

/** An answer with only what a row names. */
function answer(
  parts: Partial<Omit<PutAnswer, 'errors' | 'throttledShards' | 'succeededShards'>> & {
    errors?: Record<string, number>;
    throttled?: string[];
    succeeded?: string[];
  },
): PutAnswer {
  const { errors = {}, throttled = [], succeeded = [], ...lists } = parts;
  return {
    sent: [],
    elsewhere: [],
    retry: [],
    refused: [],
    staleMap: false,
    ...lists,
    errors: new Map(Object.entries(errors)),
    throttledShards: new Set(throttled),
    succeededShards: new Set(succeeded),
  };
}

describe('sortAnswer: what one PutRecords answer says of its entries and its shards', () => {
  it.each<[string, PutEntry[], PutRecordsResultEntry[], boolean, PutAnswer]>([
    [
      'accepted where the map said: sent, and the shard may speed up',
      [a, b],
      [stored('s1'), stored('s2')],
      false,
      answer({ sent: [a, b], succeeded: ['s1', 's2'] }),
    ],
    ['accepted with no shard map: sent, no shard told anything', [noMap], [stored('s9')], false, answer({ sent: [noMap] })],
    [
      'a record alone stored on another shard: sent (its own key routed it), and the map is stale',
      [a],
      [stored('s3')],
      true,
      answer({ sent: [a], succeeded: ['s1'], staleMap: true }),
    ],
    ['a record alone on a shard the map knows closed: sent, the map still right', [a], [stored('s0')], false, answer({ sent: [a], succeeded: ['s1'] })],
    [
      'an aggregate stored on another shard: landed elsewhere, to be checked',
      [agg],
      [stored('s3')],
      true,
      answer({ elsewhere: [{ entry: agg, shardId: 's3' }], succeeded: ['s1'], staleMap: true }),
    ],
    [
      'throttled: retried, counted, its shard slows down; the shard that took the other speeds up',
      [a, b],
      [refused(THROTTLED), stored('s2')],
      false,
      answer({ sent: [b], retry: [a], errors: { [THROTTLED]: 1 }, throttled: ['s1'], succeeded: ['s2'] }),
    ],
    [
      'a shard that throttled one entry and took another: slows down, never speeds up',
      [a, c],
      [refused(THROTTLED), stored('s1')],
      false,
      answer({ sent: [c], retry: [a], errors: { [THROTTLED]: 1 }, throttled: ['s1'] }),
    ],
    [
      'an internal failure: retried, counted, no shard slowed',
      [a],
      [refused('InternalFailure')],
      false,
      answer({ retry: [a], errors: { InternalFailure: 1 } }),
    ],
    [
      'a KMS error: refused for good',
      [a, c],
      [refused('KMSDisabledException'), refused('KMSDisabledException')],
      false,
      answer({ refused: [a, c], errors: { KMSDisabledException: 2 } }),
    ],
    [
      'a short answer: the entries with no result are retried as MissingResult',
      [a, b, c],
      [stored('s1')],
      false,
      answer({ sent: [a], retry: [b, c], errors: { [MISSING_RESULT]: 2 }, succeeded: ['s1'] }),
    ],
  ])('%s', (_label, entries, results, stale, expected) => {
    expect(sortAnswer(entries, results, () => stale)).toEqual(expected);
  });

  it('asks whether the map is stale with the key of the record and the shard it landed on', () => {
    const asked: Array<[string, string]> = [];
    sortAnswer([a, b, agg], [stored('s1'), stored('s4'), stored('s5')], (key, shardId) => (asked.push([key, shardId]), false));
    expect(asked).toEqual([
      ['b', 's4'],
      ['g', 's5'],
    ]);
  });
});

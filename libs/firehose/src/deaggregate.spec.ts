import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasKplMagic, KPL_MAGIC, loadDeaggregator, type Deaggregation, type Deaggregator } from './deaggregate';
import { kplAggregate } from './testing';

let deaggregate: Deaggregator;
beforeAll(async () => {
  deaggregate = await loadDeaggregator();
});

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const USERS = [
  { partitionKey: 'a1b2', data: '{"uuid":"1"}' },
  { partitionKey: 'ключ-€', data: '{"uuid":"2","name":"Zoë"}' },
  { partitionKey: 'a1b2', data: new Uint8Array([0, 255, 1]) },
];

/** An aggregate with a protobuf message of our own and a correct MD5 trailer: framing valid, content not. */
function framed(protobuf: number[]): Uint8Array {
  const message = Buffer.from(protobuf);
  return new Uint8Array(Buffer.concat([Buffer.from(KPL_MAGIC), message, createHash('md5').update(message).digest()]));
}

/** A copy of `data` changed by `edit`. */
function changed(data: Uint8Array, edit: (copy: Uint8Array) => Uint8Array | void): Uint8Array {
  const copy = new Uint8Array(data);
  return edit(copy) ?? copy;
}

const corruptBecause = (why: string): Deaggregation => ({
  kind: 'corrupt',
  errorCode: 'DataFormatConversion.ParseError',
  errorMessage: `Encountered malformed JSON. The record starts with the KPL aggregation magic but is not a valid aggregate (${why}), so it was not de-aggregated.`,
});

describe('deaggregate: KPL aggregated records, as Firehose reads a Kinesis source', () => {
  it('gives back every user record of an aggregate built by aws-kinesis-agg, in order, bytes and keys exact', async () => {
    const outcome = deaggregate(await kplAggregate(USERS));
    expect(outcome).toEqual({
      kind: 'aggregated',
      records: USERS.map((u, subSequenceNumber) => ({ partitionKey: u.partitionKey, data: new Uint8Array(Buffer.from(u.data)), subSequenceNumber })),
    });
  });

  it('de-aggregates an aggregate of one user record', async () => {
    expect(deaggregate(await kplAggregate([USERS[0] as (typeof USERS)[0]]))).toEqual({
      kind: 'aggregated',
      records: [{ partitionKey: 'a1b2', data: bytes('{"uuid":"1"}'), subSequenceNumber: 0 }],
    });
  });

  it.each<[string, (aggregate: Uint8Array) => Uint8Array, Deaggregation]>([
    ['a plain JSON record', () => bytes('{"uuid":"1"}'), { kind: 'plain' }],
    ['an empty record', () => new Uint8Array(0), { kind: 'plain' }],
    ['three of the four magic bytes', (a) => a.subarray(0, 3), { kind: 'plain' }],
    ['a bad magic (first byte changed): a plain record, converted as it is', (a) => changed(a, (c) => void (c[0] = 0xf4)), { kind: 'plain' }],
    [
      'a bad checksum (last byte flipped)',
      (a) => changed(a, (c) => void ((c[c.length - 1] as number) ^= 1)),
      corruptBecause('its MD5 checksum does not match'),
    ],
    [
      'the last byte of user data flipped',
      (a) => changed(a, (c) => void ((c[c.length - 17] as number) ^= 1)),
      corruptBecause('its MD5 checksum does not match'),
    ],
    ['the magic alone', (a) => a.subarray(0, 4), corruptBecause('too short to hold a checksum')],
    ['the magic and a checksum, no message', (a) => a.subarray(0, 20), corruptBecause('too short to hold a checksum')],
    [
      'a valid trailer over a user record naming partition key 5 of 1',
      () => framed([0x0a, 0x01, 0x6b, 0x1a, 0x05, 0x08, 0x05, 0x1a, 0x01, 0x78]),
      corruptBecause('user record 0 has no partition key or data'),
    ],
  ])('%s', async (_label, make, expected) => {
    expect(deaggregate(make(await kplAggregate(USERS)))).toEqual(expected);
  });

  it.each([
    ['truncated by one byte', 1],
    ['truncated into the checksum', 17],
  ])('a corrupt aggregate %s goes whole to the error output', async (_label, cut) => {
    const aggregate = await kplAggregate(USERS);
    const outcome = deaggregate(aggregate.subarray(0, aggregate.length - cut));
    expect(outcome).toMatchObject({ kind: 'corrupt', errorCode: 'DataFormatConversion.ParseError' });
    expect((outcome as { errorMessage: string }).errorMessage).toMatch(
      /^Encountered malformed JSON\. The record starts with the KPL aggregation magic but is not a valid aggregate \((its MD5 checksum does not match|malformed protobuf: .+)\)/,
    );
  });

  it('a valid trailer over a user record without its required data: malformed protobuf', () => {
    expect(deaggregate(framed([0x0a, 0x01, 0x6b, 0x1a, 0x02, 0x08, 0x00]))).toEqual(corruptBecause("malformed protobuf: missing required 'data'"));
  });
});

describe('hasKplMagic', () => {
  it.each([
    [[0xf3, 0x89, 0x9a, 0xc2], true],
    [[0xf3, 0x89, 0x9a, 0xc2, 0x0a], true],
    [[0xf3, 0x89, 0x9a], false],
    [[0xf3, 0x89, 0x9a, 0xc3], false],
    [[0x7b, 0x22], false],
    [[], false],
  ])('%j -> %s', (data, expected) => {
    expect(hasKplMagic(new Uint8Array(data))).toBe(expected);
  });
});

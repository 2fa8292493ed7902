import { describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { checkPrefixes, compilePrefix, evaluatePrefix, PrefixError, randomString, RANDOM_STRING_LENGTH } from './prefix';

const ARRIVAL = Date.parse('2022-02-04T21:07:05.123Z');
const settings = pipelineSettings('dev', { partitioning: 'arrival' });

describe('evaluatePrefix: the deployed prefixes', () => {
  it('puts data under Hive-style hour folders of the oldest record’s arrival, in UTC', () => {
    expect(evaluatePrefix(compilePrefix(settings.firehosePrefix), { arrivalMillis: ARRIVAL })).toBe('events/year=2022/month=02/day=04/hour=21/');
  });

  it('puts conversion failures under the error prefix, typed format-conversion-failed', () => {
    const errors = compilePrefix(settings.errorOutputPrefix);
    expect(evaluatePrefix(errors, { arrivalMillis: ARRIVAL, errorOutputType: 'format-conversion-failed' })).toBe(
      'errors/format-conversion-failed/year=2022/month=02/day=04/hour=21/',
    );
  });

  it('zero-pads the early hours, as the Glue partition projection expects', () => {
    const early = Date.parse('2022-02-04T09:00:00Z');
    expect(evaluatePrefix(compilePrefix(settings.firehosePrefix), { arrivalMillis: early })).toContain('/hour=09/');
  });

  it('needs an error output type to evaluate an error prefix', () => {
    expect(() => evaluatePrefix(compilePrefix(settings.errorOutputPrefix), { arrivalMillis: ARRIVAL })).toThrow(
      '!{firehose:error-output-type} needs an error output type',
    );
  });
});

describe('evaluatePrefix: documented rules', () => {
  it.each([
    ['a prefix with no expression gets yyyy/MM/dd/HH/ appended', 'raw/', 'raw/2022/02/04/21/'],
    ['so does the empty prefix', '', '2022/02/04/21/'],
    ['and one with expressions but no timestamp', 'raw/!{firehose:error-output-type}/', 'raw/processing-failed/2022/02/04/21/'],
    ['every timestamp instance is the same instant', '!{timestamp:HH}/!{timestamp:HH}/', '21/21/'],
    ['quoted text in a pattern is literal', "dt=!{timestamp:yyyy'-'MM'-'dd}/", 'dt=2022-02-04/'],
  ])('%s', (_rule, prefix, expected) => {
    expect(evaluatePrefix(compilePrefix(prefix), { arrivalMillis: ARRIVAL, errorOutputType: 'processing-failed' })).toBe(expected);
  });

  it('gives each random-string instance a fresh 11-character value', () => {
    const out = evaluatePrefix(compilePrefix('!{firehose:random-string}/!{firehose:random-string}/!{timestamp:yyyy}/'), { arrivalMillis: ARRIVAL });
    const [first, second, year] = out.split('/');
    expect(first).toMatch(/^[A-Za-z0-9]{11}$/);
    expect(second).toMatch(/^[A-Za-z0-9]{11}$/);
    expect(first).not.toBe(second);
    expect(year).toBe('2022');
  });

  it('refuses a prefix that evaluates past 512 characters', () => {
    expect(() => evaluatePrefix(compilePrefix(`${'x'.repeat(510)}!{timestamp:yyyy}`), { arrivalMillis: ARRIVAL })).toThrow(
      'evaluates to 514 characters; Firehose allows 512',
    );
  });
});

describe('randomString', () => {
  it('draws evenly from [A-Za-z0-9], skipping bytes that would bias it', () => {
    const bytes = [0, 25, 26, 51, 52, 61, 62, 248, 255, 247, 1, 2, 3];
    let i = 0;
    const value = randomString(() => bytes[i++] ?? 0);
    // 248 and 255 are rejected; 62 wraps to A; 247 is 247 % 62 = 61 -> 9.
    expect(value).toBe('AZaz09A9BCD');
    expect(value).toHaveLength(RANDOM_STRING_LENGTH);
  });
});

describe('checkPrefixes: what Firehose refuses when the stream is created', () => {
  it.each(['dev', 'prod'])('accepts the %s settings, with the dynamic partitioning its partitioning asks for', (env) => {
    const s = pipelineSettings(env);
    const dynamic = { enabled: s.partitioning === 'event-time' };
    expect(checkPrefixes(s.firehosePrefix, s.errorOutputPrefix, dynamic).errorOutputPrefix?.hasErrorOutputType).toBe(true);
  });

  it('accepts a plain prefix with no error prefix', () => {
    expect(checkPrefixes('raw/', undefined).errorOutputPrefix).toBeUndefined();
  });

  it.each([
    [
      'events/!{firehose:error-output-type}/',
      'errors/!{firehose:error-output-type}/',
      'prefix: !{firehose:error-output-type} may only be used in the error output prefix',
    ],
    ['events/!{timestamp:yyyy}/', undefined, 'errorOutputPrefix: is required when the prefix uses expressions'],
    ['events/!{timestamp:yyyy}/', 'errors/!{timestamp:yyyy}/', 'errorOutputPrefix: must contain !{firehose:error-output-type} when it uses expressions'],
    ['events/!{time:yyyy}/', 'errors/', 'prefix: !{time:yyyy} is not a Firehose expression'],
    ['events/!{firehose:nope}/', 'errors/', 'prefix: !{firehose:nope} is not a Firehose expression'],
    ['events/!{partitionKeyFromQuery:id}/', 'errors/!{firehose:error-output-type}', 'needs dynamic partitioning enabled'],
    ['events/!{timestamp:yyyy/', 'errors/', 'prefix: "!{" may only start a !{namespace:value} expression'],
    ['events/!{timestamp:ddd}/', 'errors/!{firehose:error-output-type}', '!{timestamp:ddd}: too many pattern letters: d'],
  ])('%s with error prefix %s', (prefix, errorPrefix, message) => {
    expect(() => checkPrefixes(prefix, errorPrefix)).toThrow(message);
  });

  it('throws PrefixError for prefix rules', () => {
    expect(() => checkPrefixes('!{x:y}', 'e')).toThrow(PrefixError);
  });
});

describe('!{partitionKeyFromQuery:…} (dynamic partitioning)', () => {
  const DYNAMIC = { enabled: true };
  const hive = 'events/year=!{partitionKeyFromQuery:year}/hour=!{partitionKeyFromQuery:hour}/';

  it('fills each key from the object’s partition keys, and adds no time folders of its own', () => {
    const { prefix } = checkPrefixes(hive, 'errors/!{firehose:error-output-type}/', DYNAMIC);
    expect(prefix.partitionKeys).toEqual(['year', 'hour']);
    expect(evaluatePrefix(prefix, { arrivalMillis: Date.UTC(2030, 0, 1), partitionKeys: { year: '2026', hour: '23' } })).toBe('events/year=2026/hour=23/');
    expect(() => evaluatePrefix(prefix, { arrivalMillis: 0, partitionKeys: { year: '2026' } })).toThrow('!{partitionKeyFromQuery:hour} has no value');
  });

  it('mixes with timestamps, which still take the oldest record’s arrival', () => {
    const { prefix } = checkPrefixes('p/!{timestamp:yyyy}/!{partitionKeyFromQuery:customer}/', 'e/!{firehose:error-output-type}/', DYNAMIC);
    expect(evaluatePrefix(prefix, { arrivalMillis: Date.UTC(2021, 10, 1), partitionKeys: { customer: 'c-1' } })).toBe('p/2021/c-1/');
  });

  it.each([
    [
      'events/!{partitionKeyFromQuery:id}/',
      'errors/!{firehose:error-output-type}/',
      { enabled: false },
      'prefix: !{partitionKeyFromQuery:id} needs dynamic partitioning enabled',
    ],
    [
      'events/!{timestamp:yyyy}/',
      'errors/!{firehose:error-output-type}/',
      DYNAMIC,
      'prefix: with dynamic partitioning enabled, the prefix must use !{partitionKeyFromQuery:…}',
    ],
    [hive, undefined, DYNAMIC, 'errorOutputPrefix: is required when dynamic partitioning is enabled'],
    [hive, 'errors/!{partitionKeyFromQuery:year}/', DYNAMIC, 'errorOutputPrefix: !{partitionKeyFromQuery:year} needs dynamic partitioning enabled'],
    ['events/!{partitionKeyFromQuery:a b}/', 'errors/!{firehose:error-output-type}/', DYNAMIC, 'a partition key name is letters, digits'],
    [
      'events/!{partitionKeyFromLambda:id}/',
      'errors/!{firehose:error-output-type}/',
      DYNAMIC,
      "needs a Lambda processor, which the local delivery doesn't run",
    ],
  ])('%s with error prefix %s (%j): refused', (prefix, errorPrefix, dynamic, message) => {
    expect(() => checkPrefixes(prefix, errorPrefix, dynamic)).toThrow(message);
  });

  it('names the dynamic partitioning error outputs', () => {
    const { errorOutputPrefix } = checkPrefixes(hive, 'errors/!{firehose:error-output-type}/', DYNAMIC);
    if (!errorOutputPrefix) throw new Error('no error prefix');
    for (const type of ['partitioning-failed', 'activePartitionExceeded'] as const) {
      expect(evaluatePrefix(errorOutputPrefix, { arrivalMillis: Date.UTC(2026, 0, 2, 3), errorOutputType: type })).toBe(`errors/${type}/2026/01/02/03/`);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { EXIT } from '@lakehouse/runtime';
import { AWS_SHARD_LIMITS } from './kinesis/shard-pacer';
import { parseBytesPerSecond, parseSendArgs, usage, type SendSettings } from './options';
import { shardLimitsFor } from './send';

// --aggregate, --shard-records-per-second and --shard-bytes-per-second: what they set, the exact message for a bad
// value (exit 2), and which limits each target gets.

describe('the shard flags: what each command line asks for', () => {
  it.each<[string[], Partial<SendSettings>]>([
    [[], {}],
    [['--aggregate'], { aggregate: true }],
    [['--shard-records-per-second', '500'], { shardLimits: { recordsPerSecond: 500 } }],
    [['--shard-bytes-per-second', '524288'], { shardLimits: { bytesPerSecond: 524_288 } }],
    [['--shard-bytes-per-second', '512KiB'], { shardLimits: { bytesPerSecond: 524_288 } }],
    [
      ['--shard-bytes-per-second', '2MiB', '--shard-records-per-second=2000', '--aggregate'],
      { aggregate: true, shardLimits: { recordsPerSecond: 2_000, bytesPerSecond: 2_097_152 } },
    ],
  ])('%j', (argv, expected) => {
    const settings = parseSendArgs(argv) as SendSettings;
    expect({ aggregate: settings.aggregate, shardLimits: settings.shardLimits }).toEqual({ aggregate: undefined, shardLimits: undefined, ...expected });
  });

  it('lists them in --help', () => {
    for (const flag of ['--aggregate', '--shard-records-per-second N', '--shard-bytes-per-second SIZE']) expect(usage()).toContain(flag);
  });
});

describe('the shard flags: one line naming the flag and what it expects (exit 2)', () => {
  it.each([
    [['--shard-records-per-second', '0'], '--shard-records-per-second: expected a whole number from 1 up, got "0"'],
    [['--shard-records-per-second', '1.5'], '--shard-records-per-second: expected a whole number from 1 up, got "1.5"'],
    [['--shard-records-per-second', 'lots'], '--shard-records-per-second: expected a whole number from 1 up, got "lots"'],
    [['--shard-records-per-second'], '--shard-records-per-second: needs a value; see --help'],
    [['--shard-bytes-per-second', '1MB'], '--shard-bytes-per-second: expected bytes per second from 1KiB, like 1048576, 512KiB or 1MiB, got "1MB"'],
    [['--shard-bytes-per-second', '1000'], '--shard-bytes-per-second: expected bytes per second from 1KiB, like 1048576, 512KiB or 1MiB, got "1000"'],
    [['--shard-bytes-per-second', '-1MiB'], '--shard-bytes-per-second: expected bytes per second from 1KiB, like 1048576, 512KiB or 1MiB, got "-1MiB"'],
    [['--aggregate=yes'], '--aggregate: takes no value'],
  ])('%j -> %s', (argv, message) => {
    expect(() => parseSendArgs(argv)).toThrow(expect.objectContaining({ message, exitCode: EXIT.usage }));
  });

  it.each([
    ['1024', 1_024],
    ['1KiB', 1_024],
    ['1048576', 1_048_576],
    ['1MiB', 1_048_576],
    [' 3MiB ', 3_145_728],
  ])('bytes per second: %j = %i', (text, bytes) => {
    expect(parseBytesPerSecond('shard-bytes-per-second', text)).toBe(bytes);
  });
});

describe('shardLimitsFor: which limits a run paces each shard by', () => {
  it.each<[string, SendSettings['shardLimits'], Parameters<typeof shardLimitsFor>[1], ReturnType<typeof shardLimitsFor>]>([
    ['AWS: its own limits', undefined, 'aws', AWS_SHARD_LIMITS],
    ['an endpoint: as AWS (whatever serves it may throttle as AWS does)', undefined, 'endpoint', AWS_SHARD_LIMITS],
    ['the embedded lakehouse: not paced (kinesalite never throttles)', undefined, 'embedded', undefined],
    ['a running lake:up: not paced', undefined, 'running-lake', undefined],
    ['a limit given: the other is AWS’s', { recordsPerSecond: 200 }, 'aws', { recordsPerSecond: 200, bytesPerSecond: 1_048_576 }],
    ['a limit given locally: paced there too', { bytesPerSecond: 65_536 }, 'embedded', { recordsPerSecond: 1_000, bytesPerSecond: 65_536 }],
  ])('%s', (_label, shardLimits, target, expected) => {
    expect(shardLimitsFor(shardLimits ? { shardLimits } : {}, target)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { EXIT } from '@lakehouse/runtime';
import { parseDuration, parseSendArgs, usage } from './options';

const defaults = {
  onInvalid: 'fail',
  partitionKey: 'uuid',
  concurrency: 4,
  retryBudgetMs: 30_000,
  target: 'local',
  environment: 'dev',
  dryRun: false,
  json: false,
  echo: false,
  verbose: false,
};

describe('parseSendArgs: what each command line asks for', () => {
  it.each<[string[], object]>([
    [[], { ...defaults, amount: 10 }],
    [['--amount', '250'], { ...defaults, amount: 250 }],
    [['--amount=250'], { ...defaults, amount: 250 }],
    [['--duration', '30s', '--rate', '100'], { ...defaults, durationMs: 30_000, rate: 100 }],
    [['--amount', '5', '--duration', '1m'], { ...defaults, amount: 5, durationMs: 60_000 }],
    [['--rate', '0.5'], { ...defaults, amount: 10, rate: 0.5 }],
    [['--seed', '42'], { ...defaults, amount: 10, seed: 42 }],
    [['--event-time-spread', '2d', '--seed', '4'], { ...defaults, amount: 10, seed: 4, eventTimeSpreadMs: 172_800_000 }],
    [['--input', 'events.ndjson'], { ...defaults, input: 'events.ndjson' }],
    [['--input', '-', '--on-invalid', 'skip', '--amount', '3'], { ...defaults, input: '-', onInvalid: 'skip', amount: 3 }],
    [['--partition-key', 'status'], { ...defaults, amount: 10, partitionKey: 'status' }],
    [['--concurrency', '16', '--retry-time', '2m'], { ...defaults, amount: 10, concurrency: 16, retryBudgetMs: 120_000 }],
    [['--endpoint', 'http://127.0.0.1:4567', '--stream', 's'], { ...defaults, amount: 10, target: 'endpoint', endpoint: 'http://127.0.0.1:4567', stream: 's' }],
    [['--target', 'aws', '--env', 'prod'], { ...defaults, amount: 10, target: 'aws', environment: 'prod' }],
    [['--data-dir', '/tmp/l', '--dead-letter', 'dl.ndjson'], { ...defaults, amount: 10, lakeDir: '/tmp/l', deadLetter: 'dl.ndjson' }],
    [['--dry-run', '--json', '--echo', '--verbose'], { ...defaults, amount: 10, dryRun: true, json: true, echo: true, verbose: true }],
  ])('%j', (argv, settings) => {
    expect(parseSendArgs(argv)).toEqual(settings);
  });

  it('answers --help with the usage, which lists every flag', () => {
    expect(parseSendArgs(['--amount', '3', '--help'])).toBe('help');
    for (const flag of ['--amount N', '--input FILE|-', '--on-invalid fail|skip', '--target local|aws', '--endpoint URL', '--dry-run', '--json', '--echo']) {
      expect(usage()).toContain(flag);
    }
  });
});

describe('parseSendArgs: one line naming the flag and what it expects (exit 2)', () => {
  it.each([
    [['--amount', 'ten'], '--amount: expected a whole number from 1 up, got "ten"'],
    [['--amount', '0'], '--amount: expected a whole number from 1 up, got "0"'],
    [['--amount', '1.5'], '--amount: expected a whole number from 1 up, got "1.5"'],
    [['--amount'], '--amount: needs a value; see --help'],
    [['--rate', '0'], '--rate: expected records per second above 0, got "0"'],
    [['--rate', 'fast'], '--rate: expected records per second above 0, got "fast"'],
    [['--duration', '30 seconds'], '--duration: expected a time like 30s, 5m, 1h or 500ms, got "30 seconds"'],
    [['--duration', '0s'], '--duration: expected a time like 30s, 5m, 1h or 500ms, got "0s"'],
    [['--seed=-1'], '--seed: expected a whole number from 0 to 4294967295, got "-1"'],
    [['--input', 'x.ndjson', '--seed', '1'], '--seed: applies to generated records, not to --input; remove one'],
    [
      ['--input', 'x.ndjson', '--event-time-spread', '3h'],
      '--event-time-spread: applies to generated records, not to --input (their event_date is sent as it is); remove one',
    ],
    [['--event-time-spread', '3 hours'], '--event-time-spread: expected a time into the past like 90s, 45m, 3h or 2d, up to 366d, got "3 hours"'],
    [['--event-time-spread', '400d'], '--event-time-spread: expected a time into the past like 90s, 45m, 3h or 2d, up to 366d, got "400d"'],
    [['--event-time-spread'], '--event-time-spread: needs a value; see --help'],
    [['--on-invalid', 'ignore'], '--on-invalid: expected fail or skip, got "ignore"'],
    [['--partition-key', 'country'], '--partition-key: expected a record field (uuid, event_date, status, name, last_name, email, phone), got "country"'],
    [['--concurrency', '0'], '--concurrency: expected a whole number from 1 to 64, got "0"'],
    [['--concurrency', '65'], '--concurrency: expected a whole number from 1 to 64, got "65"'],
    [['--target', 'gcp'], '--target: expected local or aws, got "gcp"'],
    [['--target', 'aws', '--endpoint', 'http://x:1'], '--endpoint and --target aws: choose one (--endpoint is for Kinesis-compatible servers)'],
    [['--endpoint', 'localhost:4567'], '--endpoint: expected an http:// or https:// URL, got "localhost:4567"'],
    [['--stream', 'bad name'], '--stream: expected 1 to 128 letters, digits, _ . or -, got "bad name"'],
    [['--env', 'Prod'], '--env: expected 2 to 16 lower-case letters or digits starting with a letter, got "Prod"'],
    [['--frobnicate'], '--frobnicate: unknown option; see --help'],
    [['--dry-run=yes'], '--dry-run: takes no value'],
    [['10'], 'unexpected argument "10": options start with --; see --help'],
    // A negative number is a value, not a missing one (parseArgs alone reads `-1` as the next flag).
    [['--amount', '-1'], '--amount: expected a whole number from 1 up, got "-1"'],
    [['--rate', '-5'], '--rate: expected records per second above 0, got "-5"'],
  ])('%j -> %s', (argv, message) => {
    expect(() => parseSendArgs(argv)).toThrow(expect.objectContaining({ message, exitCode: EXIT.usage }));
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['30', 30_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration('duration', text)).toBe(ms);
  });
});

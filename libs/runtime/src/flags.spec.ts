import { describe, expect, it } from 'vitest';
import { COMMON_FLAGS, flagHelp, parseFlags, settingsOfEnvFlag } from './flags';
import type { Flags } from './flags';

const FLAGS = {
  ...COMMON_FLAGS,
  amount: { type: 'string', value: 'N', help: 'records' },
  'dry-run': { type: 'boolean', help: 'print only' },
  console: { type: 'boolean', help: 'serve the console', negatable: true },
} as const satisfies Flags;

const message = (argv: string[], positionals = false) => {
  try {
    parseFlags(FLAGS, argv, { positionals });
    return 'parsed';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('parseFlags: every mistake is one line naming the flag', () => {
  it.each([
    [['--amount'], '--amount: needs a value; see --help'],
    [['--amuont', '3'], '--amuont: unknown option; see --help'],
    [['--dry-run=yes'], '--dry-run: takes no value'],
    [['SELECT 1'], 'unexpected argument "SELECT 1": options start with --; see --help'],
    [['--no-dry-run'], '--no-dry-run: unknown option; see --help'],
  ])('%j: %s', (argv, expected) => {
    expect(message(argv)).toBe(expected);
  });

  it('a negative number after a flag is its value, not a missing value', () => {
    expect(parseFlags(FLAGS, ['--amount', '-1']).values.amount).toBe('-1');
    expect(parseFlags(FLAGS, ['--amount', '-0.5']).values.amount).toBe('-0.5');
    expect(message(['--amount', '--dry-run'])).toBe('--amount: needs a value; see --help');
  });

  it('takes --no-<flag> for negatable flags, and positionals when the command has them', () => {
    expect(parseFlags(FLAGS, ['--no-console']).values.console).toBe(false);
    expect(parseFlags(FLAGS, ['SELECT 1', '--env', 'prod'], { positionals: true })).toEqual({ values: { env: 'prod' }, positionals: ['SELECT 1'] });
  });
});

describe('flagHelp', () => {
  it('aligns the flags and their help', () => {
    expect(flagHelp({ amount: FLAGS.amount, 'dry-run': FLAGS['dry-run'] })).toBe('  --amount N  records\n  --dry-run   print only');
  });
});

describe('settingsOfEnvFlag', () => {
  it('names the flag, with the reason the settings give', () => {
    expect(settingsOfEnvFlag('prod').streamName).toBe('lakehouse-prod-events');
    expect(() => settingsOfEnvFlag('Prod!')).toThrow('--env: expected 2 to 16 lower-case letters or digits starting with a letter, got "Prod!"');
  });
});

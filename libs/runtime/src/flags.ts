import { parseArgs } from 'node:util';
import { DEFAULT_ENVIRONMENT, pipelineSettings, SettingsError, type PipelineSettings } from '@lakehouse/pipeline';
import { renderTable } from './table';
import { LakehouseError, usageError } from './errors';

/** One flag of a command: its kind, the name of its value in --help, and one line of help. */
export interface Flag {
  type: 'string' | 'boolean';
  /** `N`, `FILE|-`: what --help shows after a string flag. */
  value?: string;
  help: string;
  /** A boolean that also takes `--no-<name>` (false). */
  negatable?: boolean;
}

export type Flags = Readonly<Record<string, Flag>>;

export type FlagValues<F extends Flags> = { [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string };

/** The flags every command takes. */
export const COMMON_FLAGS = {
  env: { type: 'string', value: 'NAME', help: `the pipeline environment (default ${DEFAULT_ENVIRONMENT})` },
  'data-dir': { type: 'string', value: 'DIR', help: 'the local lakehouse folder (default .lakehouse at the repository root)' },
  verbose: { type: 'boolean', help: 'print the stack of an error, and retries as they happen' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies Flags;

/** A value that starts with a dash but is a value (`--amount -1`), not the next flag. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/** `--amount -1` as `--amount=-1`: parseArgs reads a value starting with a dash as a missing value. */
function joinNegativeValues(flags: Flags, argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg.startsWith('--') && flags[arg.slice(2)]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** The flag parseArgs complained about, and what to do, in one line. */
function argumentError(error: unknown): LakehouseError {
  const { code, message } = error as { code?: string; message: string };
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? 'arguments';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return usageError(`${flag}: unknown option; see --help`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return usageError(message.includes('does not take') ? `${flag}: takes no value` : `${flag}: needs a value; see --help`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return usageError(`unexpected argument "${/'([^']*)'/.exec(message)?.[1] ?? ''}": options start with --; see --help`);
    default:
      return usageError(message.split('\n')[0] ?? message);
  }
}

/**
 * Parses argv against a command's flags table; every mistake is a usage error (exit 2) naming the flag.
 * `positionals`: whether the command takes words that are not flags (the SQL of a query).
 */
export function parseFlags<F extends Flags>(
  flags: F,
  argv: readonly string[],
  options: { positionals?: boolean } = {},
): { values: FlagValues<F>; positionals: string[] } {
  const config = Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, { type: flag.type }]));
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(flags, argv),
      options: config,
      strict: true,
      allowPositionals: options.positionals ?? false,
      allowNegative: Object.values(flags).some((f) => f.negatable),
    });
    for (const [name, value] of Object.entries(values)) {
      if (value === false && !flags[name]?.negatable) throw usageError(`--no-${name}: unknown option; see --help`);
    }
    return { values: values as FlagValues<F>, positionals };
  } catch (error) {
    if (error instanceof LakehouseError) throw error;
    throw argumentError(error);
  }
}

/** The flags part of --help: `--name VALUE  what it does`, aligned. */
/** A flag's whole-number value, checked: `--port: expected a whole number from 0 to 65535, got "x"`. */
export function wholeNumberFlag(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw usageError(`--${flag}: expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `from ${min} up` : `from ${min} to ${max}`}, got "${text}"`);
  }
  return value;
}

export function flagHelp(flags: Flags): string {
  const rows = Object.entries(flags).map(([name, flag]) => [`--${name}${flag.value ? ` ${flag.value}` : ''}`, flag.help]);
  return renderTable(rows, { indent: '  ', gap: '  ' });
}

/** `--env NAME` as the pipeline's settings; a bad name is a usage error naming the flag. */
export function settingsOfEnvFlag(environment: string = DEFAULT_ENVIRONMENT): PipelineSettings {
  try {
    return pipelineSettings(environment);
  } catch (error) {
    if (error instanceof SettingsError) throw usageError(`--env: ${error.reason}`);
    throw error;
  }
}

/**
 * Every way a command of this kit can end, one row each. `exit` is the process exit code scripts see; the
 * README's exit-code table is this table (a test compares them). The codes name failures in messages and JSON.
 */
export const OUTCOMES = {
  ok: { exit: 0, meaning: 'everything asked for was done' },
  unexpected: { exit: 1, meaning: 'a bug, or an error nobody classified: `--verbose` prints where it happened' },
  usage: { exit: 2, meaning: 'a bad command, flag or flag value' },
  rejected: { exit: 3, meaning: 'records refused before sending: invalid input lines, oversize records' },
  'dead-lettered': { exit: 4, meaning: 'records not delivered within the retry time, or after a fatal error: they are in the dead-letter file' },
  missing: { exit: 5, meaning: 'what the command needs is not there: the stream (or it is not ACTIVE), the deployed stack, the lake' },
  unreachable: { exit: 6, meaning: 'the endpoint (AWS, a lake:up, --endpoint) cannot be reached' },
  credentials: { exit: 7, meaning: 'AWS refused the credentials or the permission' },
  lakehouse: { exit: 8, meaning: 'the local lakehouse could not start, deliver or read its own files' },
  query: { exit: 9, meaning: 'the query failed: a SQL error, a construct the local engine lacks, a refused file access, Athena' },
  policy: { exit: 10, meaning: 'the planned stack breaks a policy rule (`nx run infra:plan-offline`)' },
  interrupted: { exit: 130, meaning: 'stopped with Ctrl-C before the end (128 + SIGINT)' },
} as const satisfies Record<string, { exit: number; meaning: string }>;

export type Outcome = keyof typeof OUTCOMES;
/** What went wrong: every outcome but `ok`. */
export type ErrorCode = Exclude<Outcome, 'ok'>;
export type ExitCode = (typeof OUTCOMES)[Outcome]['exit'];

/** `EXIT.usage` is 2: the exit codes by name. */
export const EXIT = Object.fromEntries(Object.entries(OUTCOMES).map(([code, { exit }]) => [code, exit])) as {
  readonly [K in Outcome]: (typeof OUTCOMES)[K]['exit'];
};

/** The one error shape of the kit: a message a user can act on, what kind of failure it is, and its cause. */
export class LakehouseError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'LakehouseError';
  }

  get exitCode(): ExitCode {
    return OUTCOMES[this.code].exit;
  }
}

/** A bad flag or value: `--amount: expected a whole number from 1 up, got "ten"`. */
export function usageError(message: string): LakehouseError {
  return new LakehouseError('usage', message);
}

/** The exit code an error ends the process with: its own, or `unexpected`. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof LakehouseError ? error.exitCode : EXIT.unexpected;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * How every command prints an error: one line, `error: <message>`. An error nobody classified says it is
 * unexpected. With `verbose`, the stack and the chain of causes follow.
 */
export function errorReport(error: unknown, verbose = false): string {
  const known = error instanceof LakehouseError;
  const line = `error: ${messageOf(error)}${known || verbose ? '' : ' (unexpected: run again with --verbose to see where)'}`;
  if (!verbose) return line;
  const lines = [line];
  for (let cause: unknown = error, depth = 0; cause !== undefined && depth < 8; cause = (cause as Error).cause, depth++) {
    const stack = cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
    lines.push(depth === 0 ? stack : `caused by: ${stack}`);
    if (!(cause instanceof Error)) break;
  }
  return lines.join('\n');
}

/** Where a command writes: stdout carries data only, everything for people goes to stderr. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Runs a command's body and turns what it throws into the one-line report and its exit code. Every CLI of the kit
 * ends through here, so they all print errors the same way; `--verbose` anywhere in argv adds the stack.
 */
export async function runCommand(argv: readonly string[], io: Pick<Io, 'stderr'>, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    io.stderr.write(`${errorReport(error, argv.includes('--verbose'))}\n`);
    return exitCodeOf(error);
  }
}

import { join, resolve } from 'node:path';
import { DEFAULT_ENVIRONMENT } from '@lakehouse/pipeline';
import { displayPath, LakehouseError, systemClock, type ExitCode, type Io } from '@lakehouse/runtime';
import { dataDirOf, type EmbeddedLake } from '@lakehouse/local';
import { runningLakeOutcome } from './destination/lake-watch';
import type { Entry } from './entry';
import type { PutRecordsEnd } from './kinesis/put-records';
import { DEFAULT_RETRY } from './kinesis/retry';
import { AWS_SHARD_LIMITS, type ShardLimits } from './kinesis/shard-pacer';
import type { SendSettings } from './options';
import type { DeadLetterFile } from './report/dead-letter';
import { runExitCode } from './report/exit-code';
import { startProgress } from './report/progress';
import { buildSummary, queryCommand, type LakeSummary, type Summary, type SummaryContext } from './report/summary';
import { Tally } from './report/tally';
import { openEntries } from './source/open';
import type { DestinationDescription } from './destination/check-stream';
import type { OpenDestination } from './destination/open-destination';

/** The process around a run: streams, environment, and what tests replace. */
export interface RunContext extends Io {
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C (or a closed stdout): stop taking records, finish those in flight, report. */
  signal?: AbortSignal;
  /** Draw a progress line on stderr (a terminal). */
  progress?: boolean;
  /** The embedded lake, already starting (`startEmbeddedLakeEarly`). */
  embeddedLake?: Promise<EmbeddedLake>;
}

export interface RunResult {
  summary: Summary;
  exitCode: ExitCode;
  /** What went wrong, when something did: printed after the summary. */
  error?: LakehouseError;
}

/** Why a run stops when its reader goes away (`--dry-run | head`): a normal end, not a failure. */
export const STDOUT_CLOSED = 'stdout was closed';

/** Shown one by one up to here, then counted: an input of a million bad lines shouldn't flood the terminal. */
const MAX_REJECTIONS_SHOWN = 100;

/** One run's state besides the counts: what it tells people, and why it stopped early. */
class Run {
  readonly tally = new Tally();
  /** Ends the source on a fatal error, besides Ctrl-C and a closed stdout (context.signal). */
  readonly halt = new AbortController();
  readonly lakeDir: string;
  stoppedBy: string | undefined;
  private rejections = 0;

  constructor(
    readonly settings: SendSettings,
    readonly context: RunContext,
  ) {
    this.lakeDir = dataDirOf(settings.lakeDir, context.cwd);
  }

  readonly say = (line: string) => void this.context.stderr.write(`${line}\n`);

  readonly onRejected = (message: string) => {
    if (++this.rejections <= MAX_REJECTIONS_SHOWN) this.say(`rejected: ${message}`);
  };

  get stop(): AbortSignal {
    return this.context.signal ? AbortSignal.any([this.context.signal, this.halt.signal]) : this.halt.signal;
  }

  /** The query command for this lake: flags only where they differ from the defaults. */
  get query(): string {
    return queryCommand({
      ...(this.lakeDir === dataDirOf(undefined, this.context.cwd) ? {} : { dataDir: displayPath(this.lakeDir, this.context.cwd) }),
      ...(this.settings.environment === DEFAULT_ENVIRONMENT ? {} : { environment: this.settings.environment }),
    });
  }

  /** The summary and exit code (runExitCode: the first error decides, then dead-lettered, rejected, interrupted). */
  finish(context: Omit<SummaryContext, 'dryRun' | 'stoppedBy'>, error?: LakehouseError): RunResult {
    const { signal } = this.context;
    if (signal?.aborted) this.stoppedBy ??= String(signal.reason ?? 'interrupted');
    if (this.rejections > MAX_REJECTIONS_SHOWN)
      this.say(`rejected: … and ${(this.rejections - MAX_REJECTIONS_SHOWN).toLocaleString('en-US')} more (counted in the summary)`);
    const summary = buildSummary(this.tally, { ...context, dryRun: this.settings.dryRun, ...(this.stoppedBy ? { stoppedBy: this.stoppedBy } : {}) });
    const interrupted = signal?.aborted === true && signal.reason !== STDOUT_CLOSED;
    const { deadLettered, rejected } = this.tally;
    return { summary, exitCode: runExitCode({ ...(error ? { error } : {}), deadLettered, rejected, interrupted }), ...(error ? { error } : {}) };
  }
}

/**
 * The `lakehouse send` command: records from the generator or the input, validated, sent to the target
 * (or printed, in a dry run), and a summary of what happened to each of them.
 */
export async function runSend(settings: SendSettings, context: RunContext): Promise<RunResult> {
  const run = new Run(settings, context);
  // Opened before the target, so a missing input file is reported before anything starts; nothing is read yet.
  const source = await openEntries(settings, context, {
    stop: run.stop,
    tally: run.tally,
    onRejected: run.onRejected,
    onStop: (reason) => (run.stoppedBy = reason),
  });
  return settings.dryRun ? printRecords(source, run) : sendToDestination(source, run);
}

/** Writes, and waits until the stream has taken it all; false once its reader has gone (EPIPE). */
async function write(stream: NodeJS.WritableStream, text: string): Promise<boolean> {
  try {
    await new Promise<void>((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return false;
    throw error;
  }
}

/**
 * A dry run writes its lines in slices of about this much, counted once stdout has taken each: a quarter of a pipe's
 * buffer (64 KiB on Linux), so that an empty pipe takes the first ones whole even when the reader never reads again.
 */
const SLICE_CHARS = 16 * 1024;

/** A chunk's lines in slices of about SLICE_CHARS, each with how many records it holds. */
function* slices(chunk: readonly Entry[]): Generator<{ text: string; records: number }> {
  let text = '';
  let records = 0;
  for (const entry of chunk) {
    text += `${entry.json}\n`;
    records++;
    if (text.length >= SLICE_CHARS) {
      yield { text, records };
      text = '';
      records = 0;
    }
  }
  if (records > 0) yield { text, records };
}

/**
 * --dry-run: the records as NDJSON on stdout, until they end or the reader goes away. A record counts as requested
 * once printed, that is once stdout has taken its line: when the reader goes away (`| head -1`), the summary counts
 * the slices the pipe took, not a whole chunk or none of it.
 */
async function printRecords(source: AsyncIterable<Entry[]>, run: Run): Promise<RunResult> {
  const started = systemClock.now();
  printing: for await (const chunk of source) {
    for (const { text, records } of slices(chunk)) {
      if (!(await write(run.context.stdout, text))) {
        run.stoppedBy = STDOUT_CLOSED;
        break printing;
      }
      run.tally.count({ kind: 'printed', records });
    }
  }
  return run.finish({ target: 'stdout', seconds: (systemClock.now() - started) / 1000 });
}

/** Opens the target, puts every record, then has the local lake deliver them (or says where they went). */
async function sendToDestination(source: AsyncIterable<Entry[]>, run: Run): Promise<RunResult> {
  // The SDK costs start-up time: these load it only when sending, while the target opens.
  const loop = import('./kinesis/put-records');
  loop.catch(() => undefined); // awaited below, once the target is open
  const [{ openDestination }, { DeadLetterFile, deadLetterPath }] = await Promise.all([
    import('./destination/open-destination'),
    import('./report/dead-letter'),
  ]);
  const { settings, context } = run;
  const target = await openDestination(settings, {
    env: context.env,
    cwd: context.cwd,
    lakeDir: run.lakeDir,
    say: run.say,
    ...(context.embeddedLake ? { embeddedLake: context.embeddedLake } : {}),
  });
  const deadLetter = new DeadLetterFile(
    settings.deadLetter ? resolve(context.cwd, settings.deadLetter) : deadLetterPath(join(run.lakeDir, 'dead-letter'), target.streamName),
  );
  try {
    const { end, seconds } = await putWithProgress(source, target, deadLetter, run, await loop);
    const local = await localDelivery(target, run);
    return run.finish(
      {
        target: target.description.label,
        stream: target.streamName,
        seconds,
        ...(deadLetter.records > 0 ? { deadLetterFile: deadLetter.path } : {}),
        ...(local.lake ? { lake: local.lake } : {}),
      },
      // A lake:up that died with records of this run is why the rest failed to send, if it did.
      local.error ?? end.fatal,
    );
  } finally {
    target.embedded?.kill();
    target.client.destroy();
    await deadLetter.close();
  }
}

/**
 * Each shard's limits for a run: the ones given, else AWS's, on AWS and at an endpoint (whatever serves it may throttle
 * as AWS does). The local lakehouse is not paced unless asked: its kinesalite never throttles, so pacing would only
 * slow the run.
 */
export function shardLimitsFor(settings: Pick<SendSettings, 'shardLimits'>, target: DestinationDescription['kind']): ShardLimits | undefined {
  if (settings.shardLimits) return { ...AWS_SHARD_LIMITS, ...settings.shardLimits };
  return target === 'aws' || target === 'endpoint' ? AWS_SHARD_LIMITS : undefined;
}

/** The PutRecords loop, timed, with a progress line on a terminal; returns how it ended and how long it took. */
async function putWithProgress(
  source: AsyncIterable<Entry[]>,
  target: OpenDestination,
  deadLetter: DeadLetterFile,
  run: Run,
  { putRecords }: typeof import('./kinesis/put-records'),
): Promise<{ end: PutRecordsEnd; seconds: number }> {
  const { settings, context } = run;
  // With --input the total is unknown (--amount only caps it).
  const plan =
    settings.input === undefined
      ? {
          ...(settings.amount === undefined ? {} : { total: settings.amount }),
          ...(settings.durationMs === undefined ? {} : { durationMs: settings.durationMs }),
        }
      : {};
  const progress = context.progress ? startProgress(context.stderr as NodeJS.WriteStream, run.tally, plan) : undefined;
  const started = systemClock.now();
  const shardLimits = shardLimitsFor(settings, target.description.kind);
  try {
    const end = await putRecords(source, {
      client: target.client,
      streamName: target.streamName,
      tally: run.tally,
      deadLetter,
      concurrency: settings.concurrency,
      retry: { ...DEFAULT_RETRY, budgetMs: settings.retryBudgetMs },
      ...(shardLimits ? { shardLimits } : {}),
      ...(settings.aggregate ? { aggregate: true } : {}),
      onNote: run.say,
      onFatal: () => run.halt.abort(),
      ...(target.running ? { onStored: (stored) => target.running?.watch.stored(stored) } : {}),
      ...(settings.echo ? { onSent: (sent) => void write(context.stdout, sent.map((e) => `${e.json}\n`).join('')) } : {}),
    });
    return { end, seconds: (systemClock.now() - started) / 1000 };
  } finally {
    progress?.stop();
  }
}

/**
 * Where the records are now, locally: the embedded lake delivers them to Parquet and reports; a lake:up delivers them
 * when its buffer flushes. A failed delivery is returned, not thrown: the summary still counts what was sent.
 */
async function localDelivery(target: OpenDestination, run: Run): Promise<{ lake?: LakeSummary; error?: LakehouseError }> {
  if (target.embedded) {
    run.say('Delivering to Parquet…');
    try {
      const report = await target.embedded.drain();
      // The stream is kept on disk: what a killed run had put and not delivered is delivered now, with these.
      const leftover = report.recordsDelivered + report.recordsFailed - run.tally.sent;
      return { lake: { kind: 'embedded', report, ...(leftover > 0 ? { leftover } : {}), query: run.query } };
    } catch (error) {
      if (error instanceof LakehouseError) return { error };
      throw error;
    }
  }
  // Named as it is now: a lake:up restarted during the run has a new pid, a stopped one none; one killed with records
  // of this send in its memory lost them, and says how many.
  if (target.running) return runningLakeOutcome(target.running.watch, run.query);
  return {};
}

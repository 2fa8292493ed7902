import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { DEFAULT_ENVIRONMENT, DEFAULT_LAKEHOUSE_DIR } from '@lakehouse/pipeline';
import { DEFAULT_RETRY } from './backoff';
import type { Entry } from './batching';
import { repositoryRoot } from './embedded';
import { EXIT, ProducerError, type ExitCode } from './errors';
import { paced, systemClock, until } from './flow';
import { createRecordGenerator } from './generate';
import { ndjsonItems } from './ndjson';
import type { SendSettings } from './options';
import { prepareEntries } from './prepare';
import { startProgress } from './progress';
import { generatedItems, take, type SourceItem } from './source';
import { buildSummary, displayPath, queryCommand, type LakeSummary, type Summary } from './summary';
import { Tally } from './tally';

/** The process around a run: streams, environment, and what tests replace. */
export interface RunContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C (or a closed stdout): stop taking records, finish those in flight, report. */
  signal?: AbortSignal;
  /** Draw a progress line on stderr (a terminal). */
  progress?: boolean;
  /** The lake CLI to start when no lake:up runs (default apps/lake/src/cli.ts). */
  lakeCli?: string;
}

export interface RunResult {
  summary: Summary;
  exitCode: ExitCode;
  /** What went wrong, when something did: printed after the summary. */
  error?: ProducerError;
}

/** Shown one by one up to here, then counted: an input of a million bad lines shouldn't flood the terminal. */
const MAX_REJECTIONS_SHOWN = 100;

/** Opens the records' source: an NDJSON file or stdin, or the generator. */
async function openSource(settings: SendSettings, context: RunContext): Promise<AsyncIterable<SourceItem[]>> {
  const { input, amount, seed } = settings;
  if (input === undefined) return generatedItems(createRecordGenerator(seed === undefined ? {} : { seed }), amount);
  let stream: AsyncIterable<Buffer | string> = context.stdin as AsyncIterable<Buffer | string>;
  if (input !== '-') {
    const path = resolve(context.cwd, input);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ProducerError(`--input ${input}: no such file; give an NDJSON file, or - for stdin`, EXIT.usage);
    stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  }
  const items = ndjsonItems(stream);
  return amount === undefined ? items : take(items, amount);
}

/** Why a run stops when its reader goes away (`--dry-run | head`): a normal end, not a failure. */
export const STDOUT_CLOSED = 'stdout was closed';

/**
 * What Ctrl-C and SIGTERM do to a run: the first of either stops taking records (those in flight are finished and
 * reported); only a second Ctrl-C leaves at once. Nx sends every task a SIGTERM right after the terminal's Ctrl-C,
 * and the two can reach a process in either order, so a SIGTERM never counts as that second Ctrl-C.
 */
export function stopOnSignal(stop: AbortController, exit: (code: ExitCode) => void): (signal: NodeJS.Signals) => void {
  let interrupts = 0;
  return (signal) => {
    if (signal === 'SIGINT' && ++interrupts > 1) return exit(EXIT.interrupted);
    if (!stop.signal.aborted) stop.abort(signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : `interrupted (${signal})`);
  };
}

/** Writes, waiting while the stream is full; false once its reader has gone (EPIPE). */
async function write(stream: NodeJS.WritableStream, text: string): Promise<boolean> {
  try {
    if (!stream.write(text)) await once(stream, 'drain');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return false;
    throw error;
  }
}

/** The records, validated and sized, from the settings' source, paced and cut short as asked. */
async function openEntries(
  settings: SendSettings,
  context: RunContext,
  stop: AbortSignal,
  tally: Tally,
  onRejected: (message: string) => void,
): Promise<AsyncIterable<Entry[]>> {
  let items = await openSource(settings, context);
  if (settings.rate !== undefined) items = paced(items, settings.rate);
  items = until(items, { ...(settings.durationMs === undefined ? {} : { durationMs: settings.durationMs }), signal: stop });
  return prepareEntries(items, { partitionKey: settings.partitionKey, onInvalid: settings.onInvalid, noun: settings.input === undefined ? 'record' : 'line', tally, onRejected });
}

function exitCodeOf(tally: Tally, interrupted: boolean): ExitCode {
  if (tally.fatal) return tally.fatal.exitCode;
  if (tally.deadLettered > 0) return EXIT.deadLettered;
  if (tally.rejected > 0) return EXIT.rejected;
  return interrupted ? EXIT.interrupted : EXIT.ok;
}

/**
 * One `producer:send` run: records from the generator or the input, validated, sent to the target
 * (or printed, in a dry run), and a summary of what happened to each of them.
 */
export async function runSend(settings: SendSettings, context: RunContext): Promise<RunResult> {
  const tally = new Tally();
  const say = (line: string) => void context.stderr.write(`${line}\n`);
  let shown = 0;
  const onRejected = (message: string) => {
    if (++shown <= MAX_REJECTIONS_SHOWN) say(`rejected: ${message}`);
  };
  const defaultLakeDir = join(repositoryRoot() ?? context.cwd, DEFAULT_LAKEHOUSE_DIR);
  const lakeDir = settings.lakeDir ? resolve(context.cwd, settings.lakeDir) : defaultLakeDir;
  const query = queryCommand({
    ...(lakeDir === defaultLakeDir ? {} : { dataDir: displayPath(lakeDir, context.cwd) }),
    ...(settings.environment === DEFAULT_ENVIRONMENT ? {} : { environment: settings.environment }),
  });

  const finish = (seconds: number, extra: { target: string; stream?: string; deadLetterFile?: string; lake?: LakeSummary }, error?: ProducerError): RunResult => {
    if (context.signal?.aborted) tally.stoppedBy ??= String(context.signal.reason ?? 'interrupted');
    if (shown > MAX_REJECTIONS_SHOWN) say(`rejected: … and ${(shown - MAX_REJECTIONS_SHOWN).toLocaleString('en-US')} more (counted in the summary)`);
    const summary = buildSummary(tally, { dryRun: settings.dryRun, seconds, ...extra });
    const firstError = tally.fatal ?? error;
    const interrupted = context.signal?.aborted === true && context.signal.reason !== STDOUT_CLOSED;
    return { summary, exitCode: firstError ? firstError.exitCode : exitCodeOf(tally, interrupted), ...(firstError ? { error: firstError } : {}) };
  };

  // Opened before the target, so a missing input file is reported before anything starts; nothing is read yet.
  // The source ends on Ctrl-C, a closed stdout, or a fatal delivery error.
  const halt = new AbortController();
  const stop = context.signal ? AbortSignal.any([context.signal, halt.signal]) : halt.signal;
  const source = await openEntries(settings, context, stop, tally, onRejected);
  if (settings.dryRun) {
    const started = systemClock.now();
    for await (const chunk of source) {
      let text = '';
      for (const entry of chunk) text += `${entry.json}\n`;
      if (!(await write(context.stdout, text))) {
        tally.stoppedBy = STDOUT_CLOSED;
        tally.requested -= chunk.length; // taken from the generator, but never printed: not part of this run
        break;
      }
      tally.sent += chunk.length;
    }
    return finish((systemClock.now() - started) / 1000, { target: 'stdout' });
  }

  // The SDK costs start-up time: these load it only when sending.
  const [{ deliver }, { DeadLetterFile, deadLetterPath }, { openTarget }] = await Promise.all([import('./deliver'), import('./dead-letter'), import('./target')]);
  const target = await openTarget(settings, { env: context.env, cwd: context.cwd, lakeDir, ...(context.lakeCli ? { lakeCli: context.lakeCli } : {}) }, say);
  const deadLetter = new DeadLetterFile(
    settings.deadLetter ? resolve(context.cwd, settings.deadLetter) : deadLetterPath(join(lakeDir, 'dead-letter'), target.streamName),
  );
  const started = systemClock.now();
  let seconds = 0;
  let lake: LakeSummary | undefined;
  let lakeError: ProducerError | undefined;
  try {
    // With --input the total is unknown (--amount only caps it).
    const plan = settings.input === undefined ? { ...(settings.amount === undefined ? {} : { total: settings.amount }), ...(settings.durationMs === undefined ? {} : { durationMs: settings.durationMs }) } : {};
    const progress = context.progress ? startProgress(context.stderr as NodeJS.WriteStream, tally, plan) : undefined;
    try {
      await deliver(source, {
        client: target.client,
        streamName: target.streamName,
        tally,
        deadLetter,
        concurrency: settings.concurrency,
        retry: { ...DEFAULT_RETRY, budgetMs: settings.retryBudgetMs },
        onFatal: () => halt.abort(),
        ...(settings.echo ? { onDelivered: (delivered) => void write(context.stdout, delivered.map((e) => `${e.json}\n`).join('')) } : {}),
      });
    } finally {
      progress?.stop();
      seconds = (systemClock.now() - started) / 1000;
    }
    if (target.embedded) {
      say(`Delivering to Parquet…`);
      lake = { kind: 'embedded', report: await target.embedded.drain(), query };
    } else if (target.running) {
      lake = { kind: 'running', pid: target.running.pid, query };
    }
  } catch (error) {
    if (!(error instanceof ProducerError) || error.exitCode !== EXIT.lakehouse) throw error;
    lakeError = error;
  } finally {
    target.embedded?.kill();
    target.client.destroy();
    await deadLetter.close();
  }
  return finish(
    seconds,
    {
      target: target.description.label,
      stream: target.streamName,
      ...(deadLetter.records > 0 ? { deadLetterFile: deadLetter.path } : {}),
      ...(lake ? { lake } : {}),
    },
    lakeError,
  );
}

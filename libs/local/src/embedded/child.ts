/**
 * The embedded lake's process: `lakehouse up --embedded`, which `lakehouse send` starts with an IPC channel. The
 * producer waits for it, so it is ready as soon as it can take records: the Kinesis API with its stream first (and a
 * data folder it can write), then `ready`; the rest of the lakehouse (readers, delivery, DuckDB) loads while the
 * parent sends. On `drain` (or the parent going away, or SIGTERM) it reads the stream to its end, delivers, answers
 * `drained` with the report, or `failed` with why, and exits. Everything it says goes to the parent's stderr.
 */
import { pipelineSettings, SettingsError, shardCountOf } from '@lakehouse/pipeline';
import { EXIT, LakehouseError, parseFlags, runCommand, usageError, type ExitCode, type Io } from '@lakehouse/runtime';
import { startKinesalite, type KinesaliteServer } from '../kinesis/kinesalite';
import type { Lakehouse } from '../lakehouse';
import { dataDirOf } from '../layout';
import { checkWritable } from '../storage/data-dir';
import { DataDirLock } from '../storage/lock';
import { EMBEDDED_FLAGS, isEmbeddedLakeCommand, tellParent } from './protocol';

/** How the parent ends the lake: `drain` asks for the report; a parent gone (or SIGTERM) gets none. */
function parentSaysStop(): Promise<{ answer: boolean }> {
  return new Promise((resolve) => {
    process.on('message', (message) => {
      if (isEmbeddedLakeCommand(message)) resolve({ answer: true });
    });
    process.on('disconnect', () => resolve({ answer: false }));
    process.on('SIGTERM', () => resolve({ answer: false }));
    // The parent may have gone while this lakehouse was starting.
    if (!process.connected) resolve({ answer: false });
  });
}

/** Serves until the parent says stop (drain, deliver, report: 0) or delivery fails (8). */
async function serve(lake: Lakehouse, stop: Promise<{ answer: boolean }>): Promise<ExitCode> {
  const failed = new Promise<unknown>((resolve) => lake.onFailure(resolve));
  const first = await Promise.race([stop, failed.then((error) => ({ error }))]);
  if ('error' in first) {
    await tellParent({ type: 'failed', code: 'lakehouse', message: `delivery failed: ${(first.error as Error).message}` });
    await lake.abort();
    return EXIT.lakehouse;
  }
  try {
    const report = await lake.stop();
    if (first.answer) await tellParent({ type: 'drained', report });
    return EXIT.ok;
  } catch (error) {
    if (first.answer) await tellParent({ type: 'failed', code: 'lakehouse', message: `delivery failed: ${(error as Error).message}` });
    return EXIT.lakehouse;
  }
}

/** The lake's options from `up --embedded` argv: a flag that has no place here is a usage error naming it. */
function embeddedSettings(argv: readonly string[], cwd: string) {
  const { values } = parseFlags(EMBEDDED_FLAGS, argv.slice(1));
  if (values.port !== undefined || values.persist) throw usageError('--embedded always keeps the stream in memory on a free port: drop --port and --persist');
  try {
    return { settings: pipelineSettings(values.env), dataDir: dataDirOf(values['data-dir'], cwd), verbose: values.verbose === true };
  } catch (error) {
    if (error instanceof SettingsError) throw usageError(`--env: ${error.reason}`);
    throw error;
  }
}

async function runEmbedded(argv: readonly string[], context: Io & { cwd: string }): Promise<ExitCode> {
  if (!process.send) throw usageError('--embedded needs an IPC channel: it is started by "lakehouse send"; run "lakehouse up" yourself instead');
  const { settings, dataDir, verbose } = embeddedSettings(argv, context.cwd);
  // The parent owns the terminal: Ctrl-C there reaches this process too, and the parent decides (drain or exit).
  process.on('SIGINT', () => undefined);
  const stop = parentSaysStop();
  const stream = { name: settings.streamName, shardCount: shardCountOf(settings.capacity) };
  const starting = startKinesalite({ port: 0, stream });
  starting.catch(() => undefined); // awaited below, after the folder's check
  // The rest of the lakehouse loads on this thread meanwhile (DuckDB's bindings too): the parent sends soon after ready.
  const engine = Promise.all([import('../lakehouse'), import('../options'), import('../delivery/parquet-writer')]);
  engine.catch(() => undefined); // awaited after ready
  // The folder's lock before anything touches the folder (kinesalite, in memory, is already starting beside it).
  const lock = await checkWritable(dataDir)
    .then(() => DataDirLock.acquire(dataDir, 'embedded'))
    .catch(async (error: unknown) => {
      await starting.then((s) => s.close()).catch(() => undefined);
      throw error;
    });
  const server: KinesaliteServer = await starting.catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  await lock.update({ endpoint: server.endpoint });
  await tellParent({ type: 'ready', endpoint: server.endpoint, streamName: settings.streamName });
  const [{ Lakehouse }, { resolveOptions }] = await engine;
  const lake = await Lakehouse.start({
    ...resolveOptions({ environment: settings.environment, dataDir, port: 0 }),
    server: Promise.resolve(server),
    lock,
    onRetry: (shardId, error) => {
      if (verbose) context.stderr.write(`lakehouse: ${shardId}: GetRecords failed, retrying: ${(error as Error).message}\n`);
    },
  });
  lake.warmUp();
  const code = await serve(lake, stop);
  if (process.connected) process.disconnect();
  return code;
}

/**
 * `lakehouse up --embedded …`: the embedded lake, ended as every command of the kit is, and its parent told why
 * it failed, not just the exit code.
 */
export function runEmbeddedLake(argv: readonly string[], context: Io & { cwd: string }): Promise<number> {
  return runCommand(argv, context, () =>
    runEmbedded(argv, context).catch(async (error: unknown) => {
      // Without a parent, the error is printed as every command prints one; the parent prints what it is told (the
      // two share a stderr), so it is said once.
      if (!process.connected) throw error;
      const message = error instanceof Error ? error.message : String(error);
      await tellParent({ type: 'failed', code: error instanceof LakehouseError ? error.code : 'unexpected', message: message.split('\n')[0] ?? message });
      return error instanceof LakehouseError ? error.exitCode : EXIT.unexpected;
    }),
  );
}

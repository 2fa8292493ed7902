import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_ENVIRONMENT, DEFAULT_LAKEHOUSE_DIR, localLayout, MAX_BUFFER_INTERVAL_SECONDS, stackOutputsFile } from '@lakehouse/pipeline';
import { LOCAL_DEFAULTS } from './defaults';
import { LakeError } from './errors';

const USAGE = `Usage:
  lake up    [--env dev] [--data-dir DIR] [--port ${LOCAL_DEFAULTS.port}|0] [--persist] [--buffer-interval SECONDS] [--buffer-size MIB]
  lake up    --embedded --data-dir DIR --env ENV      (started by nx run producer:send, over IPC)
  lake query "SQL" | --sql="SQL"  [--env dev] [--data-dir DIR] [--json|--csv] [--target local|aws] [--outputs FILE]

  up      the local lakehouse: the Kinesis API on 127.0.0.1 and Firehose's delivery to Parquet in DIR/s3/<bucket>/
          --persist          keep the stream on disk (DIR/kinesis) so a restart delivers what was left
          --buffer-interval  seconds before a small buffer is delivered (default ${LOCAL_DEFAULTS.bufferIntervalSeconds}; AWS uses the settings')
          --buffer-size      MiB that trigger a delivery (default: the settings', 128)
  query   SQL over the lake: DuckDB locally (tables: events and <database>.events), Athena with --target aws
          --sql="…"          the SQL as an option instead of a positional
          --outputs          the deployed stacks' outputs file (default cdktf.out/outputs-lakehouse-<env>.json)

  --data-dir defaults to ${DEFAULT_LAKEHOUSE_DIR} at the repository root; --verbose prints stacks and retries.`;

/** The repository root, so the default lake is the same folder whatever the working directory. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const common = {
  env: { type: 'string', default: DEFAULT_ENVIRONMENT },
  'data-dir': { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new LakeError(`--${flag}: expected an integer from ${min} to ${max}, got "${value}"`, 2);
  return n;
}

function dataDirOf(value: string | undefined): string {
  return value === undefined ? join(REPO_ROOT, DEFAULT_LAKEHOUSE_DIR) : resolve(value);
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals: boolean) {
  try {
    return parseArgs({ args, options: { ...common, ...options }, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new LakeError(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

async function up(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    {
      port: { type: 'string' },
      persist: { type: 'boolean', default: false },
      'buffer-interval': { type: 'string' },
      'buffer-size': { type: 'string' },
      embedded: { type: 'boolean', default: false },
    },
    false,
  );
  if (values.help) return usage();
  const bufferIntervalSeconds = integer('buffer-interval', values['buffer-interval'], 0, MAX_BUFFER_INTERVAL_SECONDS);
  const bufferSizeMiB = integer('buffer-size', values['buffer-size'], 1, 128);
  const tuning = { ...(bufferIntervalSeconds === undefined ? {} : { bufferIntervalSeconds }), ...(bufferSizeMiB === undefined ? {} : { bufferSizeMiB }) };
  const base = { environment: values.env, dataDir: dataDirOf(values['data-dir']), verbose: values.verbose, ...tuning };
  if (values.embedded) {
    if (values.port !== undefined || values.persist) throw new LakeError('--embedded always keeps the stream in memory on a free port: drop --port and --persist', 2);
    const { runEmbedded } = await import('./embedded');
    return runEmbedded(base);
  }
  const { runUp } = await import('./up');
  return runUp({ ...base, port: integer('port', values.port, 0, 65535) ?? LOCAL_DEFAULTS.port, persist: values.persist });
}

async function query(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      target: { type: 'string', default: 'local' },
      outputs: { type: 'string' },
      sql: { type: 'string' },
    },
    true,
  );
  if (values.help) return usage();
  const sql = (values.sql ?? positionals.join(' ')).trim();
  if (!sql) throw new LakeError(`query: give the SQL, e.g. lake query "SELECT status, count(*) FROM events GROUP BY status"`, 2);
  if (values.json && values.csv) throw new LakeError('query: choose one of --json and --csv', 2);
  if (values.target !== 'local' && values.target !== 'aws') throw new LakeError(`--target: expected local or aws, got "${values.target}"`, 2);
  const format = values.json ? 'json' : values.csv ? 'csv' : 'table';
  const { render, summary } = await import('./query/result');

  let result;
  if (values.target === 'aws') {
    const { queryAthena } = await import('./query/athena');
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    result = await queryAthena({ sql, environment: values.env, outputsFile: values.outputs ? resolve(values.outputs) : join(REPO_ROOT, stackOutputsFile(values.env)), signal: abort.signal });
  } else {
    const [{ LocalLake }, { settingsFor }] = await Promise.all([import('./query/local'), import('./lakehouse')]);
    const dataDir = dataDirOf(values['data-dir']);
    const settings = settingsFor(values.env);
    const lake = await LocalLake.open(dataDir, localLayout(dataDir, settings).catalogFile, settings.databaseName);
    try {
      result = await lake.query(sql);
    } finally {
      lake.close();
    }
  }
  process.stdout.write(`${render(result, format)}\n`);
  if (format === 'table') process.stderr.write(`${summary(result)}\n`);
  return 0;
}

function usage(): number {
  process.stdout.write(`${USAGE}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const verbose = args.includes('--verbose');
  try {
    switch (command) {
      case 'up':
        return await up(args);
      case 'query':
        return await query(args);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return usage();
      default:
        throw new LakeError(`unknown command "${command}"\n${USAGE}`, 2);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`lake ${command ?? ''}: ${message}\n`);
    // A parent waiting on IPC (the producer) hears why too, not just the exit code.
    if (process.send && process.connected) {
      const { send } = await import('./embedded');
      await send({ type: 'failed', message: message.split('\n')[0] ?? message });
    }
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return error instanceof LakeError ? error.exitCode : 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await main(process.argv.slice(2));
  // Open handles (DuckDB's pool, SDK sockets) must not keep a finished command alive; let stdout drain first.
  process.stdout.write('', () => process.exit(code));
}

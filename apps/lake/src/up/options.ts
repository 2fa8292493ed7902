import { MAX_BUFFER_INTERVAL_SECONDS, MAX_BUFFER_SIZE_MIB } from '@lakehouse/pipeline';
import { COMMON_FLAGS, flagHelp, parseFlags, settingsOfEnvFlag, usageError, wholeNumberFlag, type Flags } from '@lakehouse/runtime';
import { dataDirOf, LAKEHOUSE_DEFAULTS, LOCAL_DEFAULTS } from '@lakehouse/local';
import type { LakehouseOptions } from '@lakehouse/local';
import { QUERY_LIMIT_FLAGS, queryLimitsOf } from '../query/limit-flags';

const FLAGS = {
  ...COMMON_FLAGS,
  port: { type: 'string', value: 'N', help: `the Kinesis API's port on 127.0.0.1 (default ${LAKEHOUSE_DEFAULTS.port}; 0 picks a free one)` },
  persist: { type: 'boolean', help: 'keep the stream on disk (DIR/kinesis), so a restart delivers what was left' },
  'buffer-interval': {
    type: 'string',
    value: 'SECONDS',
    help: `seconds before a small buffer is delivered (default ${LOCAL_DEFAULTS.bufferIntervalSeconds}; AWS waits the settings')`,
  },
  'buffer-size': { type: 'string', value: 'MIB', help: `MiB that trigger a delivery (default: the settings', ${MAX_BUFFER_SIZE_MIB})` },
  console: { type: 'boolean', negatable: true, help: 'serve the console in the browser (default; --no-console does not)' },
  'console-port': { type: 'string', value: 'N', help: `the console's port on 127.0.0.1 (default ${LAKEHOUSE_DEFAULTS.consolePort}; 0 picks a free one)` },
  ...QUERY_LIMIT_FLAGS,
} as const satisfies Flags;

/** What `lakehouse up` was asked to do, checked: the lakehouse's own options, and how to run it. */
export interface UpSettings
  extends Required<Pick<LakehouseOptions, 'environment' | 'dataDir' | 'port' | 'persist'>>,
    Pick<LakehouseOptions, 'bufferInterval' | 'bufferSize' | 'queryTimeout' | 'queryMemory'> {
  /** The console's port; undefined for none (`--no-console`). */
  consolePort: number | undefined;
  verbose: boolean;
}

export function usage(): string {
  return [
    'Usage: lakehouse up [options]   (or: nx run lake:up [options])',
    '',
    "The local lakehouse: the Kinesis API on 127.0.0.1 and Firehose's delivery to Parquet in DIR/s3/<bucket>/,",
    'until Ctrl-C, which reads the stream to its end and delivers what is buffered. Everything it says goes to stderr.',
    '',
    flagHelp(FLAGS),
  ].join('\n');
}

/** An optional whole-number flag. */
const integer = (flag: string, value: string | undefined, min: number, max: number) =>
  value === undefined ? undefined : wholeNumberFlag(flag, value, min, max);

export function parseUpArgs(argv: readonly string[], cwd: string): UpSettings | 'help' {
  const { values } = parseFlags(FLAGS, argv);
  if (values.help) return 'help';
  const environment = settingsOfEnvFlag(values.env).environment;
  if (values.console === false && values['console-port'] !== undefined) throw usageError('--console-port: there is no console with --no-console');
  const consolePort = integer('console-port', values['console-port'], 0, 65535) ?? LAKEHOUSE_DEFAULTS.consolePort;
  const bufferInterval = integer('buffer-interval', values['buffer-interval'], 0, MAX_BUFFER_INTERVAL_SECONDS);
  const bufferSize = integer('buffer-size', values['buffer-size'], 1, MAX_BUFFER_SIZE_MIB);
  return {
    environment,
    dataDir: dataDirOf(values['data-dir'], cwd),
    port: integer('port', values.port, 0, 65535) ?? LAKEHOUSE_DEFAULTS.port,
    persist: values.persist === true,
    ...(bufferInterval === undefined ? {} : { bufferInterval }),
    ...(bufferSize === undefined ? {} : { bufferSize }),
    consolePort: values.console === false ? undefined : consolePort,
    ...queryLimitsOf(values),
    verbose: values.verbose === true,
  };
}

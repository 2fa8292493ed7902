import { COMMON_FLAGS, flagHelp, parseFlags, settingsOfEnvFlag, wholeNumberFlag, type Flags } from '@lakehouse/runtime';
import { dataDirOf, LAKEHOUSE_DEFAULTS } from '@lakehouse/local';
import { QUERY_LIMIT_FLAGS, queryLimitsOf } from '../query/limit-flags';

const FLAGS = {
  ...COMMON_FLAGS,
  port: { type: 'string', value: 'N', help: `the console's port on 127.0.0.1 (default ${LAKEHOUSE_DEFAULTS.consolePort}; 0 picks a free one)` },
  ...QUERY_LIMIT_FLAGS,
} as const satisfies Flags;

/** What `lakehouse console` was asked to do, checked. */
export interface ConsoleSettings {
  environment: string;
  dataDir: string;
  port: number;
  verbose: boolean;
  queryTimeout?: number;
  queryMemory?: number;
}

export function usage(): string {
  return [
    'Usage: lakehouse console [options]   (or: nx run lake:console [options])',
    '',
    'The console over a lake folder as it is, until Ctrl-C: the bucket, the catalog and SQL in the browser, on',
    '127.0.0.1. No live graphs: nothing runs here ("lakehouse up" serves its own console with them).',
    '',
    flagHelp(FLAGS),
  ].join('\n');
}

export function parseConsoleArgs(argv: readonly string[], cwd: string): ConsoleSettings | 'help' {
  const { values } = parseFlags(FLAGS, argv);
  if (values.help) return 'help';
  const port = values.port === undefined ? LAKEHOUSE_DEFAULTS.consolePort : wholeNumberFlag('port', values.port, 0, 65535);
  return {
    environment: settingsOfEnvFlag(values.env).environment,
    dataDir: dataDirOf(values['data-dir'], cwd),
    port,
    verbose: values.verbose === true,
    ...queryLimitsOf(values),
  };
}

import { wholeNumberFlag, type Flags } from '@lakehouse/runtime';
import { QUERY_LIMITS } from '@lakehouse/local';

/** The flags that set a local query's limits: `lakehouse query`, and the console's queries (`up`, `console`). */
export const QUERY_LIMIT_FLAGS = {
  'query-timeout': {
    type: 'string',
    value: 'SECONDS',
    help: `stop a query that runs longer, with one line (default ${QUERY_LIMITS.timeoutSeconds})`,
  },
  'query-memory': {
    type: 'string',
    value: 'MIB',
    help: `the most memory a query may use, in MiB; past it the query is refused in one line (default ${QUERY_LIMITS.memoryMiB})`,
  },
} as const satisfies Flags;

/** The limits the flags set, checked; absent for a flag left out (the default applies). */
export function queryLimitsOf(values: { 'query-timeout'?: string | undefined; 'query-memory'?: string | undefined }): {
  queryTimeout?: number;
  queryMemory?: number;
} {
  const timeout = values['query-timeout'];
  const memory = values['query-memory'];
  return {
    ...(timeout === undefined ? {} : { queryTimeout: wholeNumberFlag('query-timeout', timeout, 1, QUERY_LIMITS.maxTimeoutSeconds) }),
    ...(memory === undefined ? {} : { queryMemory: wholeNumberFlag('query-memory', memory, 16, QUERY_LIMITS.maxMemoryMiB) }),
  };
}

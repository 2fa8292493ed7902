/**
 * What `startLakehouse` takes: every option typed, its default kept as data (`LAKEHOUSE_DEFAULTS`), and a mistake
 * reported as one line naming the option (`startLakehouse: port: expected a whole number from 0 to 65535, got 70000`).
 */
import { resolve } from 'node:path';
import { MAX_BUFFER_INTERVAL_SECONDS, MAX_BUFFER_SIZE_MIB, pipelineSettings, SettingsError, type PipelineSettings } from '@lakehouse/pipeline';
import { LakehouseError } from '@lakehouse/runtime';
import { z } from 'zod';
import { LAKEHOUSE_DEFAULTS, QUERY_LIMITS } from './defaults';
import type { DeliveredEvent } from './delivery/delivery';
import type { CommitStep } from './delivery/commit';

const port = z.int().min(0).max(65535);

const SCHEMA = z.strictObject({
  /** The pipeline environment whose names, prefixes and buffering the lake uses (`dev`, `prod`). */
  environment: z.string(),
  /** The lakehouse's folder, relative to the working folder: the bucket, the catalog, the stream kept on disk. */
  dataDir: z.string().min(1),
  /** The Kinesis API's port on 127.0.0.1; 0 picks a free one. */
  port,
  /** Keep the stream on disk, so that a restart delivers what was left (exactly once); in memory otherwise. */
  persist: z.boolean(),
  /** Seconds before a small buffer is delivered: 10, or the environment's interval if shorter (AWS waits 60 or 300 s). */
  bufferInterval: z.int().min(0).max(MAX_BUFFER_INTERVAL_SECONDS).optional(),
  /** MiB that trigger a delivery; the environment's size hint when absent (128 MiB, the most Firehose takes). */
  bufferSize: z.int().min(1).max(MAX_BUFFER_SIZE_MIB).optional(),
  /** Serve the console (graphs, bucket, catalog, SQL) on 127.0.0.1. */
  console: z.boolean(),
  consolePort: port,
  /** Seconds a console query may run before it is stopped (`QUERY_LIMITS.timeoutSeconds` when absent). */
  queryTimeout: z.int().min(1).max(QUERY_LIMITS.maxTimeoutSeconds).optional(),
  /** MiB of memory a console query may use (DuckDB's limit; `QUERY_LIMITS.memoryMiB` when absent). */
  queryMemory: z.int().min(16).max(QUERY_LIMITS.maxMemoryMiB).optional(),
  /** Console queries at once; past it a query is refused in one line (HTTP 429). */
  queryConcurrency: z.int().min(1).max(QUERY_LIMITS.maxConsoleConcurrency).optional(),
  /** Write `lakehouse.json` in the folder, so that `lakehouse send` and `lakehouse console` find this lake. */
  register: z.boolean(),
  /** Told of each object as it lands in the bucket. */
  onDelivered: z.custom<(event: DeliveredEvent) => void>((f) => typeof f === 'function').optional(),
  /** A GetRecords call failed and is being retried. */
  onRetry: z.custom<(shardId: string, error: unknown) => void>((f) => typeof f === 'function').optional(),
  /** Told at each step of a delivery's commit, which waits for it (the crash tests act there). */
  onCommitStep: z.custom<(step: CommitStep) => void | Promise<void>>((f) => typeof f === 'function').optional(),
});

/** The options as given: each may be left out for its default. */
export type LakehouseOptions = Partial<z.input<typeof SCHEMA>>;

/** The options checked, with defaults filled in, the folder resolved and the environment's settings. */
export type ResolvedOptions = z.output<typeof SCHEMA> & { settings: PipelineSettings };

/** `port: expected a whole number from 0 to 65535, got 70000`: zod's first issue, named by its option. */
function describeIssue(issue: z.core.$ZodIssue, given: Record<string, unknown>): string {
  if (issue.code === 'unrecognized_keys') return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  const name = String(issue.path[0]);
  const value = JSON.stringify(given[name]);
  const field = SCHEMA.shape[name as keyof typeof SCHEMA.shape];
  const schema = field instanceof z.ZodOptional ? field.unwrap() : field;
  if (schema instanceof z.ZodNumber) return `${name}: expected a whole number from ${schema.minValue} to ${schema.maxValue}, got ${value}`;
  if (schema instanceof z.ZodString) return `${name}: expected a non-empty string, got ${value}`;
  if (schema instanceof z.ZodCustom) return `${name}: expected a function, got ${value}`;
  if (issue.code === 'invalid_type') return `${name}: expected a ${issue.expected}, got ${value}`;
  return `${name}: ${issue.message}`;
}

/** The options, checked and completed; a mistake is a usage error naming the option. */
export function resolveOptions(options: LakehouseOptions = {}, cwd: string = process.cwd()): ResolvedOptions {
  const given = options as Record<string, unknown>;
  const parsed = SCHEMA.safeParse({ ...LAKEHOUSE_DEFAULTS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) });
  if (!parsed.success) throw new LakehouseError('usage', `startLakehouse: ${describeIssue(parsed.error.issues[0] as z.core.$ZodIssue, given)}`);
  try {
    return { ...parsed.data, dataDir: resolve(cwd, parsed.data.dataDir), settings: pipelineSettings(parsed.data.environment) };
  } catch (error) {
    if (error instanceof SettingsError) throw new LakehouseError('usage', `startLakehouse: environment: ${error.reason}`);
    throw error;
  }
}

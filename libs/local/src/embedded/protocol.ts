/**
 * The embedded lake: `producer:send` with no lake:up running starts the lake CLI as a child process
 * (`<lake command> up --embedded …`) and talks to it over Node's IPC channel. Both sides use this file.
 */
import type { ErrorCode, Flags } from '@lakehouse/runtime';

/** One object the local delivery wrote. */
export interface DeliveredObject {
  /** The S3 key, as Firehose would have written it. */
  key: string;
  /** The file on disk. */
  path: string;
  records: number;
  bytes: number;
  kind: 'data' | 'error';
}

/** What the delivery did, as the embedded lake reports it when drained. */
export interface DeliveryReport {
  bucketDir: string;
  catalogFile: string;
  recordsDelivered: number;
  recordsFailed: number;
  objects: DeliveredObject[];
}

/** Child → parent. */
export type EmbeddedLakeMessage =
  | { type: 'ready'; endpoint: string; streamName: string }
  | { type: 'drained'; report: DeliveryReport }
  | { type: 'failed'; code: ErrorCode; message: string };

/** Parent → child: read every shard to its tip, deliver everything buffered, report, exit. */
export type EmbeddedLakeCommand = { type: 'drain' };

const MESSAGE_TYPES: ReadonlySet<unknown> = new Set<EmbeddedLakeMessage['type']>(['ready', 'drained', 'failed']);

export function isEmbeddedLakeMessage(value: unknown): value is EmbeddedLakeMessage {
  return MESSAGE_TYPES.has((value as { type?: unknown } | null)?.type);
}

export function isEmbeddedLakeCommand(value: unknown): value is EmbeddedLakeCommand {
  return (value as { type?: unknown } | null)?.type === 'drain';
}

/** The flag that makes `up` the embedded child; it takes no --port or --persist. */
export const EMBEDDED_FLAG = 'embedded';

/** The flags of `up --embedded` (with `--port` and `--persist`, so that a mistake says why they don't belong). */
export const EMBEDDED_FLAGS = {
  [EMBEDDED_FLAG]: { type: 'boolean', help: 'the lake a send starts for its run, over IPC (not for people)' },
  'data-dir': { type: 'string', value: 'DIR', help: 'the lake folder' },
  env: { type: 'string', value: 'NAME', help: 'the pipeline environment' },
  verbose: { type: 'boolean', help: 'say the retries of GetRecords' },
  port: { type: 'string', value: 'N', help: 'refused: a free port always' },
  persist: { type: 'boolean', help: 'refused: in memory always' },
} as const satisfies Flags;

/** The arguments after the lake command that start an embedded lake. */
export function embeddedLakeArgs(options: { dataDir: string; environment: string }): string[] {
  return ['up', `--${EMBEDDED_FLAG}`, '--data-dir', options.dataDir, '--env', options.environment];
}

/** Sends a message to the parent, resolving once it is handed over (or at once when there is no parent any more). */
export function tellParent(message: EmbeddedLakeMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** The local lakehouse's files, and how the embedded lakehouse and the producer find and talk to each other. */
import { join } from 'node:path';
import type { PipelineSettings } from './settings';

/** The local lakehouse's folder (relative to the repository root unless absolute). */
export const DEFAULT_LAKEHOUSE_DIR = '.lakehouse';

/** Locally the bucket is a folder; its name follows the deployed bucket's prefix. */
export function localBucketName(settings: PipelineSettings): string {
  return `${settings.bucketNamePrefix}local`;
}

/** Where each part of the local lakehouse keeps its files. */
export function localLayout(dir: string, settings: PipelineSettings) {
  const bucket = localBucketName(settings);
  return {
    dir,
    bucket,
    /** Laid out exactly like the bucket's keys. */
    bucketDir: join(dir, 's3', bucket),
    /** The Glue-like catalog: databases and table definitions. */
    catalogFile: join(dir, 'catalog.json'),
    /** Kinesis data (LevelDB) when the stream is kept on disk. */
    kinesisDir: join(dir, 'kinesis'),
    /** Each shard's last delivered sequence number. */
    checkpointFile: join(dir, 'checkpoints.json'),
    /** Written by a running `lake:up`, removed when it exits. */
    runningFile: join(dir, 'lakehouse.json'),
  };
}

export type LocalLayout = ReturnType<typeof localLayout>;

/** What a running `lake:up` writes to `runningFile` so the producer can find it. */
export interface RunningLakehouse {
  pid: number;
  endpoint: string;
  environment: string;
  streamName: string;
  startedAt: string;
}

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

/** What the delivery did, as the embedded lakehouse reports it when drained. */
export interface DeliveryReport {
  bucketDir: string;
  catalogFile: string;
  recordsDelivered: number;
  recordsFailed: number;
  objects: DeliveredObject[];
}

/** Messages over the IPC channel between the producer and an embedded lakehouse it started. */
export type EmbeddedLakehouseMessage =
  | { type: 'ready'; endpoint: string; streamName: string }
  | { type: 'drained'; report: DeliveryReport }
  | { type: 'failed'; message: string };

/** Asks the embedded lakehouse to read every shard to its tip, flush its buffers, report, and exit. */
export type EmbeddedLakehouseCommand = { type: 'drain' };

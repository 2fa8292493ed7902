/** Where the local lakehouse keeps its files. */
import { join, resolve } from 'node:path';
import type { PipelineSettings } from '@lakehouse/pipeline';
import { repositoryRoot } from '@lakehouse/runtime';

/** The local lakehouse's folder (relative to the repository root unless absolute). */
export const DEFAULT_LAKEHOUSE_DIR = '.lakehouse';

/** `--data-dir` resolved: relative to the working folder, or `.lakehouse` at the repository root by default. */
export function dataDirOf(flag: string | undefined, cwd: string = process.cwd()): string {
  if (flag !== undefined) return resolve(cwd, flag);
  return join(repositoryRoot() ?? cwd, DEFAULT_LAKEHOUSE_DIR);
}

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

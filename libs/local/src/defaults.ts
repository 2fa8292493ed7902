import { DEFAULT_ENVIRONMENT, LOCAL_REGION } from '@lakehouse/pipeline';
import { DEFAULT_LAKEHOUSE_DIR } from './layout';

/** What `startLakehouse` (and `lakehouse up`) do with an option left out. */
export const LAKEHOUSE_DEFAULTS = {
  environment: DEFAULT_ENVIRONMENT,
  dataDir: DEFAULT_LAKEHOUSE_DIR,
  /** kinesalite's customary port; 0 picks a free one. */
  port: 4567,
  persist: false,
  console: false,
  /** The console's port; 0 picks a free one. */
  consolePort: 4568,
  register: false,
} as const;

/** The local lakehouse's own constants, where it has to choose what AWS decides on its side. */
export const LOCAL_DEFAULTS = {
  /**
   * The buffering interval locally, at most: AWS waits the settings' interval (60 s in dev, 300 s in prod) before
   * delivering a small buffer; locally data should be queryable within seconds. The size hint is kept.
   */
  bufferIntervalSeconds: 10,
  /** How long a shard reader waits after an empty GetRecords (Firehose polls each shard about once a second). */
  pollIntervalMs: 200,
  /** Records per GetRecords call (the Kinesis maximum). */
  getRecordsLimit: 10_000,
  /** The region error records name in their catalog table; local endpoints ignore it. */
  region: LOCAL_REGION,
  /**
   * How long a record stays in the local stream once delivered: kinesalite would keep every record the stream's 24
   * hours (measured: about 5 KiB of the process's memory each, in memory); the lake removes delivered ones after
   * this, so that a consumer of yours reading right after a delivery still sees them, and the stream holds only these
   * seconds plus what is not yet delivered.
   */
  deliveredRetentionSeconds: 10,
  /** Temporary object files live here, outside the bucket, so queries never see a half-written file. */
  tmpDirName: 'tmp',
} as const;

/**
 * The limits every local query runs under (`lakehouse query`, and each query of the console), as data. Why these:
 * - time: Athena's own default (a workgroup's DML queries stop at 30 minutes), so that a query that may run on AWS
 *   may run here. Five minutes stopped a 20 M-row download on a loaded 2-core machine (measured: 80% through); a
 *   runaway whose page went away is stopped at once anyway, so the limit is for a page left open, or the CLI.
 * - memory: DuckDB's `memory_limit` per query (each query has its own DuckDB, and nothing spills to disk, so it is
 *   hard); 1 GiB holds any aggregation of a local lake, and four console queries at once still fit a laptop.
 * - console queries at once: each has a process and DuckDB of its own; past four, one line (HTTP 429) asks to wait.
 */
export const QUERY_LIMITS = {
  timeoutSeconds: 1800,
  memoryMiB: 1024,
  consoleConcurrency: 4,
  /** The most each flag or option may say. */
  maxTimeoutSeconds: 24 * 3600,
  maxMemoryMiB: 1024 * 1024,
  maxConsoleConcurrency: 64,
} as const;

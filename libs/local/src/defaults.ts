import { LOCAL_REGION } from '@lakehouse/pipeline';

/** The local lakehouse's own defaults, where it has to choose what AWS decides on its side. */
export const LOCAL_DEFAULTS = {
  /** kinesalite's customary port; 0 picks a free one. */
  port: 4567,
  /** The console's port (`lakehouse up`, `lakehouse console`); 0 picks a free one. */
  consolePort: 4568,
  /**
   * The buffering interval locally: AWS waits the settings' interval (60 s in dev, 300 s in prod) before
   * delivering a small buffer; locally data should be queryable within seconds. The size hint is kept.
   */
  bufferIntervalSeconds: 10,
  /** How long a shard reader waits after an empty GetRecords (Firehose polls each shard about once a second). */
  pollIntervalMs: 200,
  /** Records per GetRecords call (the Kinesis maximum). */
  getRecordsLimit: 10_000,
  /** The region error records name in their catalog table; local endpoints ignore it. */
  region: LOCAL_REGION,
  /** Temporary object files live here, outside the bucket, so queries never see a half-written file. */
  tmpDirName: 'tmp',
} as const;

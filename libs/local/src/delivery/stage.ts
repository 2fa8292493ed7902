import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { errorObjectBody, type DataCatalogTable } from '@lakehouse/firehose';
import type { DeliveredObject } from '../embedded/protocol';
import { fsyncPath, writeFileSynced } from '../storage/durable';
import type { ParquetWriter } from './parquet-writer';
import type { DeliveryPlan } from './plan';

/** Key-value metadata of each data object: which stream records it holds, for audits. */
export const BATCH_METADATA_KEY = 'lakehouse.batch';

/** An object written and fsynced under a temporary name, not yet in the bucket. */
export interface StagedObject {
  key: string;
  tmp: string;
  kind: DeliveredObject['kind'];
  records: number;
  bytes: number;
}

export interface StageOptions {
  /** Same file system as the bucket, outside it: queries never see a half-written file. */
  tmpDir: string;
  fileExtension: string;
  writer: () => Promise<ParquetWriter>;
  /** The Glue table error records name. */
  table: DataCatalogTable;
  now: number;
}

/** Writes the plan's objects to temporary files and fsyncs them. */
export async function stageObjects(plan: DeliveryPlan, options: StageOptions): Promise<StagedObject[]> {
  const staged: StagedObject[] = [];
  if (plan.data) {
    const tmp = join(options.tmpDir, `${randomUUID()}${options.fileExtension}`);
    const batch = {
      shards: plan.ranges,
      dataRecords: plan.data.records,
      errorRecords: plan.errors?.records.length ?? 0,
      errorObject: plan.errors?.key ?? null,
    };
    const bytes = await (await options.writer()).write(plan.data.rows, tmp, { [BATCH_METADATA_KEY]: JSON.stringify(batch) });
    await fsyncPath(tmp);
    staged.push({ key: plan.data.key, tmp, kind: 'data', records: plan.data.records, bytes });
  }
  if (plan.errors) {
    const tmp = join(options.tmpDir, randomUUID());
    const body = errorObjectBody(plan.errors.records, options.table, options.now);
    await writeFileSynced(tmp, body);
    staged.push({ key: plan.errors.key, tmp, kind: 'error', records: plan.errors.records.length, bytes: Buffer.byteLength(body) });
  }
  return staged;
}

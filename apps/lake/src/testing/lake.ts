import { kinesisClient } from '@lakehouse/aws';
import type { DeliveryReport } from '@lakehouse/pipeline';
import { startLakehouse } from '../lakehouse';
import { putAll } from './records';

/** Fills a lake folder: an in-process lakehouse (in memory, free port), the records put through Kinesis, drained. */
export async function buildLake(dataDir: string, records: readonly Uint8Array[]): Promise<DeliveryReport> {
  const lake = await startLakehouse({ environment: 'dev', dataDir, port: 0, persist: false, register: false });
  try {
    await putAll(kinesisClient({ endpoint: lake.endpoint }), lake.streamName, records);
  } catch (error) {
    await lake.abort();
    throw error;
  }
  return lake.stop();
}

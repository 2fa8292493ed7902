import { kinesisClient } from '@lakehouse/aws';
import type { DeliveryReport } from '../embedded/protocol';
import { Lakehouse } from '../lakehouse';
import { putAll } from './records';

/** Fills a lake folder: an in-process lakehouse (in memory, free port), the records put through Kinesis, drained. */
export async function buildLake(dataDir: string, records: readonly Uint8Array[]): Promise<DeliveryReport> {
  const lake = await Lakehouse.start({ environment: 'dev', dataDir, port: 0, persist: false, register: false });
  const client = kinesisClient({ endpoint: lake.info.endpoint });
  try {
    await putAll(client, lake.info.streamName, records);
  } catch (error) {
    await lake.abort();
    throw error;
  } finally {
    client.destroy();
  }
  return lake.stop();
}

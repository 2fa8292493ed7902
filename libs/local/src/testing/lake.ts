import type { DeliveryReport } from '../embedded/protocol';
import { startLakehouse } from '../start';
import { putAll } from './records';

/** Fills a lake folder: a lakehouse started as users start one (in memory, a free port), the records put, drained. */
export async function buildLake(dataDir: string, records: readonly Uint8Array[]): Promise<DeliveryReport> {
  const lake = await startLakehouse({ dataDir, port: 0 });
  const client = lake.kinesisClient();
  try {
    await putAll(client, lake.streamName, records);
  } catch (error) {
    await lake.abort();
    throw error;
  } finally {
    client.destroy();
  }
  return lake.stop();
}

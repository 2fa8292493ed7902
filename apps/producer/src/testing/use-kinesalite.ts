import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '@lakehouse/aws';
import { afterAll, beforeAll } from 'vitest';
import { startKinesalite, type KinesaliteServer } from './kinesis';

/** kinesalite on a free port for one spec file, and a client of it: started before its tests, closed after them. */
export function useKinesalite(clientOptions: { maxAttempts?: number } = {}): { readonly endpoint: string; readonly client: KinesisClient } {
  let server: KinesaliteServer | undefined;
  let client: KinesisClient | undefined;
  beforeAll(async () => {
    server = await startKinesalite();
    client = kinesisClient({ endpoint: server.endpoint, ...clientOptions });
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useKinesalite: kinesalite starts in beforeAll; use it inside a test or hook');
    return value;
  };
  return {
    get endpoint() {
      return started(server).endpoint;
    },
    get client() {
      return started(client);
    },
  };
}

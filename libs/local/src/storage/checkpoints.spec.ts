import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStore, type PendingDelivery } from './checkpoints';

const stream = { streamName: 'lakehouse-dev-events', createdAt: '2026-01-01T00:00:00.000Z' };

describe('CheckpointStore', () => {
  let dir: string;
  let file: string;
  let bucketDir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-checkpoints-'));
    file = join(dir, 'checkpoints.json');
    bucketDir = join(dir, 'bucket');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const open = () => CheckpointStore.open({ file, stream, bucketDir });
  const place = async (key: string) => {
    await mkdir(dirname(join(bucketDir, key)), { recursive: true });
    await writeFile(join(bucketDir, key), 'object');
  };
  const pending: PendingDelivery = { keys: ['events/a.parquet', 'errors/b'], positions: { 'shardId-000000000000': '20', 'shardId-000000000001': '7' } };

  it('starts with no positions and keeps committed ones across a restart', async () => {
    const { store, recovery } = await open();
    expect(store.position('shardId-000000000000')).toBeUndefined();
    expect(recovery).toEqual({ otherStream: false });
    await store.prepare(pending);
    await store.commit(pending.positions);
    const reopened = (await open()).store;
    expect(reopened.position('shardId-000000000000')).toBe('20');
    expect(reopened.position('shardId-000000000001')).toBe('7');
  });

  it('finishes an interrupted delivery whose objects are all in place', async () => {
    await (await open()).store.prepare(pending);
    for (const key of pending.keys) await place(key);
    const { store, recovery } = await open();
    expect(recovery.interrupted).toEqual({ outcome: 'completed', keys: pending.keys, removed: [] });
    expect(store.position('shardId-000000000000')).toBe('20');
    expect(JSON.parse(await readFile(file, 'utf8'))).not.toHaveProperty('pending');
  });

  it('undoes an interrupted delivery with an object missing: removes the ones in place, keeps the old positions', async () => {
    const first = (await open()).store;
    await first.commit({ 'shardId-000000000000': '10' });
    await first.prepare(pending);
    await place('events/a.parquet');
    const { store, recovery } = await open();
    expect(recovery.interrupted).toEqual({ outcome: 'undone', keys: pending.keys, removed: ['events/a.parquet'] });
    expect(existsSync(join(bucketDir, 'events/a.parquet'))).toBe(false);
    expect(store.position('shardId-000000000000')).toBe('10');
    expect(store.position('shardId-000000000001')).toBeUndefined();
  });

  it('ignores positions saved for another stream (recreated since)', async () => {
    await (await open()).store.commit({ 'shardId-000000000000': '99' });
    const { store, recovery } = await CheckpointStore.open({ file, stream: { ...stream, createdAt: '2026-02-02T00:00:00.000Z' }, bucketDir });
    expect(recovery.otherStream).toBe(true);
    expect(store.position('shardId-000000000000')).toBeUndefined();
  });

  it('refuses a damaged file, saying what moving it away would mean', async () => {
    await writeFile(file, '{"version": 1, "stream"');
    await expect(open()).rejects.toThrow(`${file} is damaged; move it away to deliver the stream again from its start`);
  });

  it('writes nothing for a stream kept in memory', async () => {
    const store = CheckpointStore.inMemory(stream);
    await store.prepare(pending);
    await store.commit(pending.positions);
    expect(store.position('shardId-000000000001')).toBe('7');
    expect(existsSync(file)).toBe(false);
  });
});

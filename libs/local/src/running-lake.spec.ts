import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRunningLake, parseRunningLake, readRunningLake } from './running-lake';

const lake = {
  pid: process.pid,
  endpoint: 'http://127.0.0.1:4567',
  environment: 'dev',
  streamName: 'lakehouse-dev-events',
  startedAt: '2026-11-30T05:00:00.000Z',
};

describe('the running lake:up file', () => {
  it.each([
    [lake, lake],
    [{ ...lake, pid: '12' }, undefined],
    [{ ...lake, endpoint: undefined }, undefined],
    [null, undefined],
    ['text', undefined],
  ])('%j -> %j', (json, parsed) => {
    expect(parseRunningLake(json)).toEqual(parsed);
  });

  it('reads it, and finds it only while its process is alive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'running-lake-'));
    const file = join(dir, 'lakehouse.json');
    expect(await readRunningLake(file)).toBeUndefined();
    await writeFile(file, '{ half');
    expect(await readRunningLake(file)).toBeUndefined();
    await writeFile(file, JSON.stringify(lake));
    expect(await findRunningLake(file)).toEqual(lake);
    // A pid no process has: Linux's pid_max is at most 2^22.
    await writeFile(file, JSON.stringify({ ...lake, pid: 2 ** 22 + 1 }));
    expect(await readRunningLake(file)).toMatchObject({ pid: 2 ** 22 + 1 });
    expect(await findRunningLake(file)).toBeUndefined();
  });
});

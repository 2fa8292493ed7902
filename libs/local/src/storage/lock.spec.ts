import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LakehouseError } from '@lakehouse/runtime';
import { DataDirLock, processStart, readLockOwner } from './lock';

/** The pid of a process that has exited (a kill -9'd lake's, for the lock). */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid ?? 0;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<LakehouseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LakehouseError);
  return error as LakehouseError;
}

/** A lock left as a process that died at some step would leave it. */
async function leaveLock(pid: number, start: string, extra: Record<string, unknown> = {}): Promise<void> {
  await mkdir(join(dir, 'lock'));
  await writeFile(join(dir, 'lock', `owner-${pid}-${start}.json`), JSON.stringify({ pid, start, kind: 'lakehouse up', ...extra }));
}

describe('DataDirLock: one lakehouse per data folder', () => {
  it('is taken once; a second start is one line naming the holder (exit 8); released, it can be taken again', async () => {
    const lock = await DataDirLock.acquire(dir, 'lakehouse up');
    await lock.update({ endpoint: 'http://127.0.0.1:4567' });
    const error = await refusal(DataDirLock.acquire(dir, 'embedded'));
    expect([error.exitCode, error.message]).toEqual([
      8,
      `a lakehouse is already running for ${dir} (lakehouse up, pid ${process.pid}, http://127.0.0.1:4567); use it, or stop it first`,
    ]);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    await (await DataDirLock.acquire(dir, 'embedded')).release();
  });

  it('says "still starting" while the holder has no endpoint yet', async () => {
    const lock = await DataDirLock.acquire(dir, 'embedded');
    expect((await refusal(DataDirLock.acquire(dir, 'lakehouse up'))).message).toContain(`(embedded, pid ${process.pid}, still starting)`);
    await lock.release();
  });

  it('of ten contenders at once, exactly one gets it, and the others name it', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => DataDirLock.acquire(dir, 'startLakehouse')));
    const taken = outcomes.filter((o) => o.status === 'fulfilled');
    expect(taken).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) expect(String(o.reason)).toContain(`(startLakehouse, pid ${process.pid}, still starting)`);
    await (taken[0] as PromiseFulfilledResult<DataDirLock>).value.release();
  });

  it.each([
    ['its process is gone (kill -9)', async () => leaveLock(deadPid(), '12345')],
    ['its pid now belongs to another process (reused after a kill -9)', async () => leaveLock(process.pid, `${processStart(process.pid)}9`)],
    ['it is empty (its taker was killed between removing the owner and the folder)', async () => void (await mkdir(join(dir, 'lock')))],
  ])('takes over a stale lock: %s', async (_label, leave) => {
    expect(processStart(process.pid)).toMatch(/^\d+$/); // Linux: the start time tells a reused pid
    await leave();
    const lock = await DataDirLock.acquire(dir, 'lakehouse up');
    expect(await readLockOwner(dir)).toMatchObject({ pid: process.pid, start: processStart(process.pid), kind: 'lakehouse up' });
    await lock.release();
  });

  it('says what to do when the lock folder holds something that is no owner file', async () => {
    await mkdir(join(dir, 'lock'));
    await writeFile(join(dir, 'lock', 'notes.txt'), 'mine');
    const error = await refusal(DataDirLock.acquire(dir, 'lakehouse up'));
    expect(error.message).toBe(`${join(dir, 'lock')} holds no lakehouse's owner file: if no lakehouse runs on ${dir}, remove ${join(dir, 'lock')}`);
  });

  it('removes what contenders killed before they took the lock left, and nothing of a live one', async () => {
    const dead = join(dir, `.lock-${deadPid()}-abc`);
    const live = join(dir, `.lock-${process.pid}-other`);
    await mkdir(dead);
    await mkdir(live);
    const lock = await DataDirLock.acquire(dir, 'lakehouse up');
    expect([existsSync(dead), existsSync(live)]).toEqual([false, true]);
    await lock.release();
  });
});

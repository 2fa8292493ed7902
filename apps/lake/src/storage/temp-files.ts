import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../errors';

/** Whether a process id is alive (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Each running lakehouse writes its objects under `<tmpRoot>/<pid>/` before renaming them into the bucket, so two
 * lakehouses sharing a data folder never remove each other's files. Folders of processes that are gone hold only
 * deliveries that never completed: they are removed, and returns how many files they held.
 */
export async function prepareTempDir(tmpRoot: string): Promise<{ dir: string; discarded: number }> {
  let discarded = 0;
  let entries: string[] = [];
  try {
    entries = await readdir(tmpRoot);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    const folder = join(tmpRoot, entry);
    try {
      discarded += (await readdir(folder)).length;
    } catch {
      discarded += 1;
    }
    await rm(folder, { recursive: true, force: true });
  }
  const dir = join(tmpRoot, String(process.pid));
  await mkdir(dir, { recursive: true });
  return { dir, discarded };
}

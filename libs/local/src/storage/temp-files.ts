import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from '../processes';

/**
 * Each running lakehouse writes its objects under `<tmpRoot>/<pid>/` before renaming them into the bucket, so two
 * lakehouses sharing a data folder never remove each other's files. Folders of processes that are gone hold only
 * deliveries that never completed: they are removed, and returns how many files they held.
 */
export async function prepareTempDir(tmpRoot: string): Promise<{ dir: string; discarded: number }> {
  let discarded = 0;
  const entries = await readdir(tmpRoot).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  for (const entry of entries) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    const folder = join(tmpRoot, entry);
    discarded += await readdir(folder).then(
      (files) => files.length,
      () => 1,
    );
    await rm(folder, { recursive: true, force: true });
  }
  const dir = join(tmpRoot, String(process.pid));
  await mkdir(dir, { recursive: true });
  return { dir, discarded };
}

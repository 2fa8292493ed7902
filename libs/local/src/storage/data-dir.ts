import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LakehouseError } from '@lakehouse/runtime';
import { removeIfExists } from './durable';

/** Creates the data folder if needed and proves it can be written, so that a problem is one line up front. */
export async function checkWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const probe = join(dir, `.write-check-${process.pid}`);
    await writeFile(probe, '');
    await removeIfExists(probe);
  } catch (error) {
    const reasons: Record<string, string> = {
      ENOTDIR: 'a file is in the way of the folder',
      EEXIST: 'a file is in the way of the folder',
      EROFS: 'the file system is read-only',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
    };
    const reason = reasons[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message;
    throw new LakehouseError('lakehouse', `data dir ${dir} is not writable (${reason}); pass another --data-dir or fix its permissions`, { cause: error });
  }
}

import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LakehouseError } from '@lakehouse/runtime';

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * Durable writes on a local disk: data reaches the disk (fsync) before its name appears (rename), and the
 * rename itself reaches the disk (fsync of the folder). A crash at any point leaves either the old state or the
 * complete new file, never a partial one under the final name.
 */

/** fsyncs a file or a folder. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether a path exists (other errors than ENOENT are thrown). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Creates a folder and any missing parents, making each new entry durable in its parent. */
async function ensureDirDurable(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; !(await pathExists(d)); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  if (missing.length === 0) return;
  await mkdir(dir, { recursive: true });
  for (const created of missing) await fsyncPath(dirname(created));
}

/** Moves a complete, fsynced file to its final name, durably. */
export async function renameDurably(from: string, to: string): Promise<void> {
  await ensureDirDurable(dirname(to));
  await rename(from, to);
  await fsyncPath(dirname(to));
}

/** Replaces a small file atomically and durably (temp file beside it, fsync, rename, fsync folder). */
export async function writeFileDurably(path: string, data: string): Promise<void> {
  // Unique per write: the lakehouse's state files share one folder and may be written at the same moment.
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  await ensureDirDurable(dirname(path));
  await writeFileSynced(tmp, data);
  await rename(tmp, path);
  await fsyncPath(dirname(path));
}

/** Writes a new file and fsyncs it (its name is made durable by the later rename). */
export async function writeFileSynced(path: string, data: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes a file if it exists. */
export async function removeIfExists(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Reads a JSON state file this lakehouse wrote: undefined when there is none yet, a one-line error saying what to
 * do when it is damaged or isn't ours.
 */
export async function readStateFile<T>(file: string, isValid: (json: Partial<T>) => boolean, whatToDo: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let json: Partial<T> | undefined;
  try {
    json = JSON.parse(text) as Partial<T>;
  } catch {
    // reported below
  }
  if (!json || typeof json !== 'object' || !isValid(json)) throw new LakehouseError('lakehouse', `${file} ${whatToDo}`);
  return json as T;
}

import type { Dirent } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/**
 * What keeps the lake's readers (the console's bucket view, the query sandbox, the catalog) inside the lake folder:
 * paths are resolved with realpath and must stay in it, and a symbolic link is never followed, wherever it points.
 */

/** Whether `path` is `root` or lies under it (both absolute, as written: no link resolved). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** `realpath`, or undefined when the path does not exist (yet). */
export async function realPathOf(path: string): Promise<string | undefined> {
  return realpath(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
}

/**
 * Whether `path` (under `root`) is reached without a link: its real path is `root`'s real path joined with the same
 * names. A missing path has no link in it yet.
 */
export async function reachedWithoutLinks(root: string, path: string): Promise<boolean> {
  const [realRoot, real] = await Promise.all([realPathOf(root), realPathOf(path)]);
  if (real === undefined || realRoot === undefined) return true;
  return real === join(realRoot, relative(root, path));
}

/** What a walk of a folder found: its files of a kind, and the links and other entries it did not follow. */
export interface FolderWalk {
  files: string[];
  /** Links and entries that are neither files nor folders (FIFOs, sockets): never opened. */
  skipped: string[];
}

/**
 * Every regular file under `folder` whose name passes `keep`, going into folders but never through a link (Node's
 * recursive readdir goes only into entries that are folders themselves, not links to them), sorted.
 */
export async function walkFiles(folder: string, keep: (name: string) => boolean): Promise<FolderWalk> {
  const entries: Dirent[] = await readdir(folder, { withFileTypes: true, recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  });
  const walk: FolderWalk = { files: [], skipped: [] };
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) {
      if (keep(entry.name)) walk.files.push(path);
    } else if (keep(entry.name) || entry.isSymbolicLink()) walk.skipped.push(path);
  }
  walk.files.sort();
  walk.skipped.sort();
  return walk;
}

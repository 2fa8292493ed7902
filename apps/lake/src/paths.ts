import { relative } from 'node:path';

/** A path as short as it can be said: relative under the working folder, absolute elsewhere. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Entry } from '../entry';

/**
 * Records that could not be delivered, one JSON per line exactly as they would have been sent,
 * so `--input <file>` sends them again. The file is created on the first record only.
 */
export class DeadLetterFile {
  private handle: Promise<FileHandle> | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Records written so far. */
  records = 0;

  constructor(readonly path: string) {}

  /** Appends the records; writes happen one after another, so lines never interleave. */
  write(entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) return this.queue;
    const text = entries.map((e) => `${e.json}\n`).join('');
    const write = this.queue.then(async () => {
      this.handle ??= mkdir(dirname(this.path), { recursive: true }).then(() => open(this.path, 'a'));
      await (await this.handle).appendFile(text);
      this.records += entries.length;
    });
    // A failed write fails its caller; later writes still try.
    this.queue = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.queue;
    // A file that never opened has nothing to close; its writers were already told why.
    const handle = await this.handle?.catch(() => undefined);
    this.handle = undefined;
    await handle?.close();
  }
}

/** `<dir>/<stream>-<UTC time>.ndjson`, a new file per run. */
export function deadLetterPath(dir: string, streamName: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${dir}/${streamName}-${stamp}.ndjson`;
}

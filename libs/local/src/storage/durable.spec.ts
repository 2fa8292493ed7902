import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileDurably } from './durable';

describe('writeFileDurably', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-durable-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces a file, creating its folder, and leaves no temporary file', async () => {
    const file = join(dir, 'a', 'b', 'state.json');
    await writeFileDurably(file, 'old');
    await writeFileDurably(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['state.json']);
  });

  it('keeps concurrent writes of two files in one folder apart (the catalog, checkpoints and lakehouse.json share one)', async () => {
    const files = ['catalog.json', 'checkpoints.json', 'lakehouse.json'].map((name) => join(dir, name));
    await Promise.all(files.map((file) => writeFileDurably(file, `content of ${file}`)));
    for (const file of files) expect(await readFile(file, 'utf8')).toBe(`content of ${file}`);
    expect((await readdir(dir)).sort()).toEqual(['catalog.json', 'checkpoints.json', 'lakehouse.json']);
  });
});

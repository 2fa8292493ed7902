import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleOf, DIST, isFresh, publishBuild } from './bundles.mjs';

const ROOT = join(import.meta.dirname, '../../..');
const manifest = () => JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as { dir: string; inputs: Record<string, number> };

describe('the bundles the lakehouse command runs', () => {
  it('are built on first use, cover every app source they need, and are reused while nothing changed', async () => {
    const producer = await bundleOf('producer');
    const lake = await bundleOf('lake');
    const { dir, inputs } = manifest();
    expect(producer).toBe(join(DIST, dir, 'producer.mjs'));
    expect(lake).toBe(join(DIST, dir, 'lake.mjs'));
    expect(Object.keys(inputs)).toEqual(
      expect.arrayContaining([
        'apps/producer/src/main.ts',
        'apps/lake/src/main.ts',
        'libs/schema/src/event-record.ts',
        'node_modules/.package-lock.json',
        'apps/cli/src/bundles.mjs',
      ]),
    );
    expect(isFresh(manifest())).toBe(true);
    expect(await bundleOf('producer')).toBe(producer);
  });

  it.each(['libs/runtime/src/table.ts', 'apps/cli/src/bundles.mjs'])(
    'are rebuilt when %s changes, and two commands starting at once both get a whole build',
    async (input) => {
      await bundleOf('producer');
      const before = manifest().dir;
      const source = join(ROOT, input);
      const { atime } = statSync(source);
      // An edit, as far as mtimes can tell; a second ago, as a user's would be: one within the build's first
      // millisecond counts as made during the build (stale on purpose), which failed this test once on a fast run.
      utimesSync(source, atime, new Date(Date.now() - 1_000));
      expect(isFresh(manifest())).toBe(false);
      const [a, b] = await Promise.all([bundleOf('producer'), bundleOf('lake')]);
      expect(manifest().dir).not.toBe(before);
      for (const bundle of [a, b]) expect(statSync(bundle).size).toBeGreaterThan(1000);
      expect(isFresh(manifest())).toBe(true);
    },
  );

  it('are stale when built before the build script was one of their inputs (by another version of it)', () => {
    const script = 'apps/cli/src/bundles.mjs';
    const table = 'libs/runtime/src/table.ts';
    const mtime = (file: string) => statSync(join(ROOT, file)).mtimeMs;
    expect(isFresh({ dir: 'build-old', inputs: { [table]: mtime(table) } })).toBe(false);
    expect(isFresh({ dir: 'build-new', inputs: { [table]: mtime(table), [script]: mtime(script) } })).toBe(true);
  });

  it('publish by renaming the manifest in, then keep only the newest older builds, and nothing that is not a build', () => {
    const root = mkdtempSync(join(tmpdir(), 'builds-'));
    try {
      for (const [i, name] of ['build-1', 'build-2', 'build-3', 'build-4', 'console', 'build-5'].entries()) {
        mkdirSync(join(root, name));
        utimesSync(join(root, name), 1_000 + i, 1_000 + i);
      }
      publishBuild(root, { dir: 'build-5' }, 2);
      expect(readdirSync(root).sort()).toEqual(['build-3', 'build-4', 'build-5', 'console', 'manifest.json']);
      expect(JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'))).toEqual({ dir: 'build-5' });
      // A build published moments ago is kept whatever `keep` says: a command that just read the manifest loads it.
      mkdirSync(join(root, 'build-6'));
      publishBuild(root, { dir: 'build-6' }, 0);
      mkdirSync(join(root, 'build-7'));
      publishBuild(root, { dir: 'build-7' }, 0);
      expect(readdirSync(root).sort()).toEqual(['build-6', 'build-7', 'console', 'manifest.json']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

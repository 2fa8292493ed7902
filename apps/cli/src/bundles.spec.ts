import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleOf, DIST, isFresh } from './bundles.mjs';

const ROOT = join(import.meta.dirname, '../../..');
const manifest = () => JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as { dir: string; inputs: Record<string, number> };

describe('the bundles the lakehouse command runs', () => {
  it('are built on first use, cover every app source they need, and are reused while nothing changed', async () => {
    const producer = await bundleOf('producer');
    const lake = await bundleOf('lake');
    const { dir, inputs } = manifest();
    expect(producer).toBe(join(DIST, dir, 'producer.mjs'));
    expect(lake).toBe(join(DIST, dir, 'lake.mjs'));
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(['apps/producer/src/main.ts', 'apps/lake/src/main.ts', 'libs/schema/src/event-record.ts', 'node_modules/.package-lock.json']));
    expect(isFresh(manifest())).toBe(true);
    expect(await bundleOf('producer')).toBe(producer);
  });

  it('are rebuilt when a source they were built from changes, and two commands starting at once both get a whole build', async () => {
    await bundleOf('producer');
    const before = manifest().dir;
    const source = join(ROOT, 'libs/runtime/src/table.ts');
    const { atime } = statSync(source);
    utimesSync(source, atime, new Date()); // an edit, as far as mtimes can tell
    expect(isFresh(manifest())).toBe(false);
    const [a, b] = await Promise.all([bundleOf('producer'), bundleOf('lake')]);
    expect(manifest().dir).not.toBe(before);
    for (const bundle of [a, b]) expect(statSync(bundle).size).toBeGreaterThan(1000);
    expect(isFresh(manifest())).toBe(true);
  });
});

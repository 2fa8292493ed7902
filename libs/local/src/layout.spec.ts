import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirOf } from './layout';

const root = join(import.meta.dirname, '../../..');

describe('the lake folder', () => {
  it.each([
    [undefined, '/anywhere', join(root, '.lakehouse')],
    ['lake', '/work/x', '/work/x/lake'],
    ['/abs/lake', '/work/x', '/abs/lake'],
  ])('--data-dir %s from %s is %s', (flag, cwd, dir) => {
    expect(dataDirOf(flag, cwd)).toBe(dir);
  });
});

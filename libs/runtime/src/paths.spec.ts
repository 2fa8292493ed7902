import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedLakeArgs } from './embedded-lake';
import { dataDirOf, displayPath, repositoryRoot } from './paths';

const root = join(import.meta.dirname, '../../..');

describe('paths', () => {
  it('finds the repository root from anywhere inside it', () => {
    expect(repositoryRoot(import.meta.dirname)).toBe(root);
    expect(repositoryRoot('/')).toBeUndefined();
  });

  it.each([
    [undefined, '/anywhere', join(root, '.lakehouse')],
    ['lake', '/work/x', '/work/x/lake'],
    ['/abs/lake', '/work/x', '/abs/lake'],
  ])('--data-dir %s from %s is %s', (flag, cwd, dir) => {
    expect(dataDirOf(flag, cwd)).toBe(dir);
  });

  it.each([
    ['/work/x/.lakehouse/s3', '/work/x', '.lakehouse/s3'],
    ['/work/x', '/work/x', '.'],
    ['/tmp/lake', '/work/x', '/tmp/lake'],
  ])('shows %s from %s as %s', (path, cwd, shown) => {
    expect(displayPath(path, cwd)).toBe(shown);
  });
});

describe('the embedded lake', () => {
  it('is started as `up --embedded` with its folder and environment', () => {
    expect(embeddedLakeArgs({ dataDir: '/tmp/lake', environment: 'dev' })).toEqual(['up', '--embedded', '--data-dir', '/tmp/lake', '--env', 'dev']);
  });
});

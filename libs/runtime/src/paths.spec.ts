import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, repositoryRoot } from './paths';

const root = join(import.meta.dirname, '../../..');

describe('paths', () => {
  it('finds the repository root from anywhere inside it', () => {
    expect(repositoryRoot(import.meta.dirname)).toBe(root);
    expect(repositoryRoot('/')).toBeUndefined();
  });

  it.each([
    ['/work/x/.lakehouse/s3', '/work/x', '.lakehouse/s3'],
    ['/work/x', '/work/x', '.'],
    ['/tmp/lake', '/work/x', '/tmp/lake'],
  ])('shows %s from %s as %s', (path, cwd, shown) => {
    expect(displayPath(path, cwd)).toBe(shown);
  });
});

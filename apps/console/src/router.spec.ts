import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router';

describe('routes in the hash', () => {
  it('reads the view and its parameters', () => {
    const r = parseRoute('#/bucket?prefix=events%2Fyear%3D2026%2F');
    expect(r.view).toBe('bucket');
    expect(r.params.get('prefix')).toBe('events/year=2026/');
  });

  it('falls back to the pipeline for an empty or unknown hash', () => {
    expect(parseRoute('').view).toBe('pipeline');
    expect(parseRoute('#/nowhere').view).toBe('pipeline');
  });

  it('writes what it reads', () => {
    const link = href('bucket', { key: 'errors/a b&c.gz' });
    expect(parseRoute(link).params.get('key')).toBe('errors/a b&c.gz');
    expect(href('sql')).toBe('#/sql');
  });
});

import { describe, expect, it } from 'vitest';
import { LakehouseError } from '@lakehouse/runtime';
import { runExitCode, type RunEnd } from './exit-code';

const fatal = new LakehouseError('unreachable', 'cannot reach the stream');

describe('runExitCode: which failure a send exits with when several happen', () => {
  it.each<[string, RunEnd, number]>([
    ['nothing went wrong', { deadLettered: 0, rejected: 0, interrupted: false }, 0],
    ['only Ctrl-C', { deadLettered: 0, rejected: 0, interrupted: true }, 130],
    ['refused records, then Ctrl-C', { deadLettered: 0, rejected: 2, interrupted: true }, 3],
    ['dead-lettered and refused records, then Ctrl-C', { deadLettered: 1, rejected: 2, interrupted: true }, 4],
    ['a fatal error after records were dead-lettered and refused', { error: fatal, deadLettered: 1, rejected: 2, interrupted: true }, 6],
  ])('%s: exit %i', (_, end, code) => {
    expect(runExitCode(end)).toBe(code);
  });
});

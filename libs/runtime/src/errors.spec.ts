import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { errorReport, EXIT, exitCodeOf, LakehouseError, OUTCOMES, runCommand } from './errors';

describe('the exit-code table', () => {
  it('gives every outcome its own exit code', () => {
    const codes = Object.values(OUTCOMES).map((o) => o.exit);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each([
    ['ok', 0],
    ['unexpected', 1],
    ['usage', 2],
    ['rejected', 3],
    ['dead-lettered', 4],
    ['missing', 5],
    ['unreachable', 6],
    ['credentials', 7],
    ['lakehouse', 8],
    ['query', 9],
    ['interrupted', 130],
  ] as const)('%s exits %i', (outcome, exit) => {
    expect(EXIT[outcome]).toBe(exit);
  });
});

describe('LakehouseError', () => {
  it('takes its exit code from its code, and keeps its cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new LakehouseError('unreachable', 'cannot reach http://127.0.0.1:4567', { cause });
    expect(error.exitCode).toBe(6);
    expect(error.cause).toBe(cause);
    expect(exitCodeOf(error)).toBe(6);
    expect(exitCodeOf(new TypeError('x'))).toBe(1);
  });
});

describe('errorReport: one line, the stack only with --verbose', () => {
  it.each([
    [new LakehouseError('usage', '--amount: expected a whole number from 1 up, got "ten"'), 'error: --amount: expected a whole number from 1 up, got "ten"'],
    [
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      "error: Cannot read properties of undefined (reading 'x') (unexpected: run again with --verbose to see where)",
    ],
    ['a string', 'error: a string (unexpected: run again with --verbose to see where)'],
  ])('%s', (error, line) => {
    expect(errorReport(error)).toBe(line);
  });

  it('with --verbose: the line, the stack, then each cause', () => {
    const report = errorReport(new LakehouseError('lakehouse', 'delivery failed', { cause: new Error('ENOSPC: no space left on device') }), true);
    const lines = report.split('\n');
    expect(lines[0]).toBe('error: delivery failed');
    expect(lines[1]).toBe('LakehouseError: delivery failed');
    expect(report).toMatch(/\ncaused by: Error: ENOSPC: no space left on device\n/);
  });
});

describe('runCommand', () => {
  const stderrOf = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    return { stream, text: () => text };
  };

  it('returns the body’s code, or prints the error and returns its exit code', async () => {
    const err = stderrOf();
    expect(await runCommand([], { stderr: err.stream }, async () => 3)).toBe(3);
    expect(await runCommand([], { stderr: err.stream }, async () => Promise.reject(new LakehouseError('missing', 'no catalog')))).toBe(5);
    expect(err.text()).toBe('error: no catalog\n');
  });

  it('adds the stack when argv has --verbose', async () => {
    const err = stderrOf();
    await runCommand(['--verbose'], { stderr: err.stream }, async () => Promise.reject(new LakehouseError('missing', 'no catalog')));
    expect(err.text()).toMatch(/^error: no catalog\nLakehouseError: no catalog\n {4}at /);
  });
});

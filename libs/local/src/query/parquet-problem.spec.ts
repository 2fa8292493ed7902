import { describe, expect, it } from 'vitest';
import { parquetProblem } from './parquet-problem';

describe('parquetProblem: why DuckDB could not read a Parquet file, without its path', () => {
  it.each([
    ["Invalid Input Error: File '/lake/a/x.parquet' too small to be a Parquet file", 'too small to be a Parquet file'],
    ["Invalid Input Error: No magic bytes found at end of file '/lake/a/x.parquet'", 'no magic bytes found at end of file'],
    ["Invalid Input Error: Footer length error in file '/lake/a/x.parquet'\n\nLINE 1: SELECT", 'footer length error'],
  ])('%s', (message, reason) => {
    expect(parquetProblem(message)).toEqual({ file: '/lake/a/x.parquet', reason });
  });

  it('is undefined for any other error', () => {
    expect(parquetProblem('Binder Error: Referenced column "x" not found')).toBeUndefined();
  });
});

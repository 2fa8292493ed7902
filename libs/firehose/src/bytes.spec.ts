import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './bytes';

describe('Base64, without Buffer', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['{"uuid":"é"}', 'eyJ1dWlkIjoiw6kifQ=='],
  ])('%j <-> %s', (text, base64) => {
    const bytes = new TextEncoder().encode(text);
    expect(toBase64(bytes)).toBe(base64);
    expect(fromBase64(base64)).toEqual(bytes);
  });

  it('agrees with Node on every byte value, and on a view into a larger buffer', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toBase64(all)).toBe(Buffer.from(all).toString('base64'));
    const view = new Uint8Array(all.buffer, 10, 20);
    expect(toBase64(view)).toBe(Buffer.from(view).toString('base64'));
  });

  it('takes a megabyte at once (more than a call has room for as arguments)', () => {
    const big = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    expect(fromBase64(toBase64(big))).toEqual(big);
  });

  it('refuses text that is not Base64', () => {
    expect(() => fromBase64('not base64!')).toThrow();
  });
});

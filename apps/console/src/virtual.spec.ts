import { describe, expect, it } from 'vitest';
import { visibleWindow } from './virtual';

describe('visibleWindow', () => {
  it('renders the rows in view plus the overscan below, at the top', () => {
    expect(visibleWindow(0, 260, 26, 100_000, 10)).toEqual({ first: 0, count: 21, offset: 0 });
  });

  it('renders overscan either side in the middle, offset to the first rendered row', () => {
    const w = visibleWindow(26 * 50_000 + 13, 260, 26, 100_000, 10);
    expect(w.first).toBe(49_990);
    expect(w.count).toBe(31);
    expect(w.offset).toBe(49_990 * 26);
  });

  it('stops at the last row, even scrolled past the end', () => {
    const w = visibleWindow(10_000_000, 260, 26, 1000, 10);
    expect(w.first + w.count).toBe(1000);
    expect(w.first).toBe(1000 - 10 - 10);
  });

  it('renders every row of a short list, and nothing of an empty one', () => {
    expect(visibleWindow(0, 600, 26, 5)).toEqual({ first: 0, count: 5, offset: 0 });
    expect(visibleWindow(0, 600, 26, 0)).toEqual({ first: 0, count: 0, offset: 0 });
  });

  it('keeps the DOM small at 100,000 rows whatever the scroll', () => {
    for (const top of [0, 1e5, 1.3e6, 2.6e6]) expect(visibleWindow(top, 560, 26, 100_000).count).toBeLessThanOrEqual(45);
  });
});

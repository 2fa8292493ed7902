import { describe, expect, it } from 'vitest';
import { MetricHistory } from './metric-history';

const at = (second: number) => second * 1000;

describe('MetricHistory', () => {
  it('lays the window out oldest first, one slot a second, null where no sample came', () => {
    const h = new MetricHistory(5, ['incomingRecords', 'incomingBytes']);
    h.push({ at: at(100), values: { incomingRecords: 1, incomingBytes: 10 } });
    h.push({ at: at(102), values: { incomingRecords: 3 } });
    const w = h.window();
    expect(w.x).toEqual([98, 99, 100, 101, 102]);
    expect(w.series.get('incomingRecords')).toEqual([null, null, 1, null, 3]);
    expect(w.series.get('incomingBytes')).toEqual([null, null, 10, null, null]);
    expect(w.latest).toBe(102);
  });

  it('forgets what slides out of the window and never grows', () => {
    const h = new MetricHistory(3, ['incomingRecords']);
    for (let s = 0; s < 1000; s++) h.push({ at: at(s), values: { incomingRecords: s } });
    const w = h.window();
    expect(w.x).toEqual([997, 998, 999]);
    expect(w.series.get('incomingRecords')).toEqual([997, 998, 999]);
    expect(w.x).toHaveLength(3);
  });

  it('shows a gap in the samples as a gap, never as the values a slot held a round ago', () => {
    const h = new MetricHistory(3, ['incomingRecords']);
    for (let s = 0; s < 5; s++) h.push({ at: at(s), values: { incomingRecords: 100 + s } });
    h.push({ at: at(10), values: { incomingRecords: 110 } });
    expect(h.window().series.get('incomingRecords')).toEqual([null, null, 110]);
  });

  it('counts a sum the sample leaves out as 0, and a maximum as a gap (no datapoint, as CloudWatch)', () => {
    const h = new MetricHistory(2, ['incomingRecords', 'iteratorAge'], new Set(['incomingRecords']));
    h.push({ at: at(1), values: {} });
    h.push({ at: at(2), values: { incomingRecords: 5, iteratorAge: 40 } });
    const w = h.window();
    expect(w.series.get('incomingRecords')).toEqual([0, 5]);
    expect(w.series.get('iteratorAge')).toEqual([null, 40]);
    expect(h.window(3).series.get('incomingRecords')).toEqual([5, null]);
  });

  it('leaves the seconds before the lake started as gaps', () => {
    const h = new MetricHistory(4, ['incomingRecords'], new Set(['incomingRecords']));
    for (let s = 10; s < 14; s++) h.push({ at: at(s), values: {} });
    expect(h.window(13, 12).series.get('incomingRecords')).toEqual([null, null, 0, 0]);
  });

  it('refills the same arrays on every call (what uPlot is given stays valid)', () => {
    const h = new MetricHistory(4, ['incomingRecords']);
    h.push({ at: at(10), values: { incomingRecords: 1 } });
    const first = h.window();
    const [x, y] = [first.x, first.series.get('incomingRecords')];
    h.push({ at: at(11), values: { incomingRecords: 2 } });
    const second = h.window();
    expect(second.x).toBe(x);
    expect(second.series.get('incomingRecords')).toBe(y);
    expect(y).toEqual([null, null, 1, 2]);
  });

  it('ignores a sample older than the window, and keeps a late one inside it', () => {
    const h = new MetricHistory(3, ['incomingRecords']);
    h.push({ at: at(50), values: { incomingRecords: 5 } });
    h.push({ at: at(10), values: { incomingRecords: 1 } });
    h.push({ at: at(49), values: { incomingRecords: 4 } });
    expect(h.window().series.get('incomingRecords')).toEqual([null, 4, 5]);
  });

  it('gives the newest value, and forgets all on clear', () => {
    const h = new MetricHistory(3, ['iteratorAge']);
    h.push({ at: at(7), values: { iteratorAge: 250 } });
    expect(h.latestValue('iteratorAge')).toBe(250);
    h.clear();
    expect(h.latestValue('iteratorAge')).toBeNull();
    expect(h.window(9).series.get('iteratorAge')).toEqual([null, null, null]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new MetricHistory(0, [])).toThrow(RangeError);
  });
});

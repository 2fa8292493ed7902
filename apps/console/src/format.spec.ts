import { describe, expect, it } from 'vitest';
import { compactCount, formatBytes, formatCount, formatDuration, formatMetric, formatTime, rowsText, stampName, timeTick } from './format';

const rowsOf = (n: number) => Array.from({ length: n }, () => []);

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [2.6, '3 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [10 * 1024 * 1024, '10.0 MiB'],
    [150 * 1024 ** 3, '150 GiB'],
    [-2048, '-2.00 KiB'],
  ])('%d → %s', (n, text) => expect(formatBytes(n)).toBe(text));

  it('shows a dash for what is not a number', () => expect(formatBytes(Number.NaN)).toBe('—'));
});

describe('counts', () => {
  it('writes every digit, grouped', () => expect(formatCount(1234567.4)).toBe('1,234,567'));
  it.each([
    [0, '0'],
    [950, '950'],
    [0.5, '0.5'],
    [1200, '1.2k'],
    [34_560, '34.6k'],
    [999_999, '1M'],
    [-1500, '-1.5k'],
    [1_200_000, '1.2M'],
    [3_400_000_000, '3.4G'],
  ])('compact %d → %s', (n, text) => expect(compactCount(n)).toBe(text));
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [1200, '1.2 s'],
    [45_000, '45 s'],
    [60_000, '1 min'],
    [125_000, '2 min 5 s'],
    [3_840_000, '1 h 4 min'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatMetric: each CloudWatch unit', () => {
  it('writes counts short, bytes in binary units, milliseconds and seconds as durations', () => {
    expect(formatMetric(1500, 'Count')).toBe('1.5k');
    expect(formatMetric(2048, 'Bytes')).toBe('2.00 KiB');
    expect(formatMetric(850, 'Milliseconds')).toBe('850 ms');
    expect(formatMetric(2500, 'Milliseconds')).toBe('2.5 s');
    expect(formatMetric(90, 'Seconds')).toBe('1 min 30 s');
  });

  it('shows a dash when a second had no value', () => {
    expect(formatMetric(null, 'Count')).toBe('—');
    expect(formatMetric(undefined, 'Bytes')).toBe('—');
  });
});

describe('times', () => {
  it('writes UTC, like the partitions', () => expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 03:04:05 UTC'));
  it('names a download after its time', () => expect(stampName('query', Date.UTC(2026, 11, 31, 23, 59, 58))).toBe('query-20261231-235958'));
});

describe('timeTick: axis labels in UTC, as fine as the span needs', () => {
  const t = Date.UTC(2026, 0, 14, 9, 41, 5) / 1000;
  it.each([
    [60, '09:41:05'],
    [900, '09:41'],
    [7 * 86_400, '01-14 09:41'],
    [400 * 86_400, '2026-01-14'],
  ])('over %d s', (span, text) => expect(timeTick(t, span)).toBe(text));
  it('leaves out midnight over days', () => expect(timeTick(Date.UTC(2026, 0, 14) / 1000, 7 * 86_400)).toBe('01-14'));
});

describe('rowsText', () => {
  it('counts rows, and says a capped result has more', () => {
    expect(rowsText({ rows: rowsOf(1), truncated: false })).toBe('1 row');
    expect(rowsText({ rows: rowsOf(0), truncated: false })).toBe('0 rows');
    expect(rowsText({ rows: rowsOf(5000), truncated: false })).toBe('5,000 rows');
    expect(rowsText({ rows: rowsOf(100_000), truncated: true })).toBe('more than 100,000 rows');
  });
});

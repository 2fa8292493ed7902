import { describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { bufferingLimits, flushReason, intervalDueAt, RecordBuffer } from './buffering';

const MIB = 1024 * 1024;
const limits = { sizeBytes: 1000, intervalMillis: 10_000 };

describe('bufferingLimits', () => {
  it('reads the settings’ hints in bytes and milliseconds', () => {
    expect(bufferingLimits(pipelineSettings('dev').buffering)).toEqual({ sizeBytes: 128 * MIB, intervalMillis: 60_000 });
    expect(bufferingLimits(pipelineSettings('prod').buffering)).toEqual({ sizeBytes: 128 * MIB, intervalMillis: 300_000 });
  });
});

describe('flushReason: size hint or interval hint, whichever comes first', () => {
  it.each([
    ['an empty buffer never delivers', { records: 0, bytes: 0, openedAtMillis: undefined }, 1_000_000, undefined],
    ['under both hints it waits', { records: 3, bytes: 999, openedAtMillis: 0 }, 9_999, undefined],
    ['the size hint delivers', { records: 3, bytes: 1000, openedAtMillis: 0 }, 1, 'size'],
    ['the interval hint delivers', { records: 1, bytes: 10, openedAtMillis: 0 }, 10_000, 'interval'],
    ['both reached: size is named', { records: 9, bytes: 5000, openedAtMillis: 0 }, 20_000, 'size'],
  ] as const)('%s', (_case, state, now, expected) => {
    expect(flushReason(state, limits, now)).toBe(expected);
  });

  it('with a zero interval delivers as soon as a record is buffered', () => {
    expect(flushReason({ records: 1, bytes: 1, openedAtMillis: 5 }, { sizeBytes: MIB, intervalMillis: 0 }, 5)).toBe('interval');
  });
});

describe('RecordBuffer', () => {
  it('times the interval from the first record, not the latest', () => {
    const buffer = new RecordBuffer<string>(limits);
    expect(buffer.add('a', 10, 1_000)).toBeUndefined();
    expect(buffer.add('b', 10, 9_000)).toBeUndefined();
    expect(intervalDueAt(buffer.state, limits)).toBe(11_000);
    expect(buffer.due(10_999)).toBeUndefined();
    expect(buffer.due(11_000)).toBe('interval');
  });

  it('asks for delivery on the record that reaches the size hint, and keeps that record', () => {
    const buffer = new RecordBuffer<number>(limits);
    const reasons = [400, 400, 400].map((bytes, i) => buffer.add(i, bytes, 0));
    expect(reasons).toEqual([undefined, undefined, 'size']);
    expect(buffer.take()).toEqual({ items: [0, 1, 2], bytes: 1200, openedAtMillis: 0 });
  });

  it('starts over empty after take', () => {
    const buffer = new RecordBuffer<number>(limits);
    buffer.add(1, 5, 100);
    buffer.take();
    expect(buffer.state).toEqual({ records: 0, bytes: 0, openedAtMillis: undefined });
    expect(buffer.due(1_000_000)).toBeUndefined();
    buffer.add(2, 5, 50_000);
    expect(intervalDueAt(buffer.state, limits)).toBe(60_000);
  });
});

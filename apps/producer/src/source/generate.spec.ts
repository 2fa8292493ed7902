import { describe, expect, it } from 'vitest';
import { validate } from '@lakehouse/schema';
import { createRecordGenerator } from './generate';

const take = (generate: () => unknown, n: number) => Array.from({ length: n }, generate);

describe('createRecordGenerator', () => {
  it('makes records that pass the schema', () => {
    for (const record of take(createRecordGenerator(), 2000)) expect(validate(record)).toEqual({ ok: true, record });
  });

  it('stamps event_date with the current time in UTC, as toISOString() gives', () => {
    const now = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const [record] = take(createRecordGenerator({ now: () => now }), 1) as Array<{ event_date: string }>;
    expect(record?.event_date).toBe('2025-01-02T03:04:05.678Z');
  });

  it('repeats the same records, uuids included, for the same seed', () => {
    const now = () => 0;
    const first = take(createRecordGenerator({ seed: 42, now }), 200);
    const again = take(createRecordGenerator({ seed: 42, now }), 200);
    expect(again).toEqual(first);
    expect(take(createRecordGenerator({ seed: 43, now }), 200)).not.toEqual(first);
  });

  it('keeps seeded generators independent of each other', () => {
    const now = () => 0;
    const alone = take(createRecordGenerator({ seed: 7, now }), 10);
    const a = createRecordGenerator({ seed: 7, now });
    const b = createRecordGenerator({ seed: 7, now });
    const interleaved = Array.from({ length: 10 }, () => (b(), a()));
    expect(interleaved).toEqual(alone);
  });

  it('gives every unseeded record its own uuid', () => {
    const uuids = take(createRecordGenerator(), 10_000).map((r) => (r as { uuid: string }).uuid);
    expect(new Set(uuids).size).toBe(10_000);
  });

  it("makes each email from the record's own names, as faker.internet.email does, at a free provider", () => {
    const records = take(createRecordGenerator({ seed: 3 }), 2000) as Array<{ name: string; last_name: string; email: string }>;
    for (const { name, last_name, email } of records) {
      const [, local = '', provider] = /^(.+)@(.+)$/.exec(email) ?? [];
      const [first, last] = [name, last_name].map((n) => n.replace(/[^A-Za-z0-9._-]/g, ''));
      expect(local, email).toMatch(new RegExp(`^${first}[._]${last}\\d{0,2}$`));
      expect(['gmail.com', 'hotmail.com', 'yahoo.com']).toContain(provider);
    }
    // An apostrophe in a name is dropped, as faker drops it: O'Hara → OHara.
    expect(records.some((r) => r.last_name.includes("'") && r.email.includes(r.last_name.replace("'", '')))).toBe(true);
  });

  it('spreads status over all three values', () => {
    const statuses = new Set(take(createRecordGenerator({ seed: 1 }), 300).map((r) => (r as { status: string }).status));
    expect([...statuses].sort()).toEqual(['Active', 'Canceled', 'Inactive']);
  });
});

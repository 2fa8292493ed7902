import { describe, expect, it } from 'vitest';
import { HISTORY_KEY, MAX_KEPT_SQL, QueryHistory, type KeyValueStore } from './history';

class MapStore implements KeyValueStore {
  map = new Map<string, string>();
  failWrites = false;
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => {
    if (this.failWrites) throw new Error('QuotaExceededError');
    this.map.set(k, v);
  };
  removeItem = (k: string) => void this.map.delete(k);
}

describe('QueryHistory', () => {
  it('lists the newest first, and moves a query run again to the top', () => {
    const h = new QueryHistory(new MapStore());
    h.add('SELECT 1', 1);
    h.add('SELECT 2', 2);
    h.add('  SELECT 1\n', 3, 'duckdb');
    expect(h.list()).toEqual([
      { sql: 'SELECT 1', at: 3, dialect: 'duckdb' },
      { sql: 'SELECT 2', at: 2 },
    ]);
  });

  it('keeps at most `limit` entries, dropping the oldest', () => {
    const h = new QueryHistory(new MapStore(), 3);
    for (let i = 1; i <= 5; i++) h.add(`SELECT ${i}`, i);
    expect(h.list().map((e) => e.sql)).toEqual(['SELECT 5', 'SELECT 4', 'SELECT 3']);
  });

  it('survives a reload through the store, and clear() empties both', () => {
    const store = new MapStore();
    new QueryHistory(store).add('SELECT 42', 7);
    const again = new QueryHistory(store);
    expect(again.list()).toEqual([{ sql: 'SELECT 42', at: 7 }]);
    again.clear();
    expect(store.getItem(HISTORY_KEY)).toBeNull();
    expect(new QueryHistory(store).list()).toEqual([]);
  });

  it('keeps neither empty queries nor huge ones', () => {
    const h = new QueryHistory(new MapStore());
    h.add('   ', 1);
    h.add('x'.repeat(MAX_KEPT_SQL + 1), 2);
    expect(h.list()).toEqual([]);
  });

  it('reads garbage or foreign entries as nothing', () => {
    const store = new MapStore();
    store.setItem(HISTORY_KEY, '{not json');
    expect(new QueryHistory(store).list()).toEqual([]);
    store.setItem(HISTORY_KEY, JSON.stringify([{ sql: 'ok', at: 1 }, { sql: 2, at: 1 }, null, { sql: 'x', at: 1, dialect: 'mysql' }]));
    expect(new QueryHistory(store).list()).toEqual([{ sql: 'ok', at: 1 }]);
  });

  it('works for the session when the store refuses writes or is missing', () => {
    const store = new MapStore();
    store.failWrites = true;
    const h = new QueryHistory(store);
    h.add('SELECT 1', 1);
    expect(h.list()).toHaveLength(1);
    const none = new QueryHistory(null);
    none.add('SELECT 2', 2);
    expect(none.list()).toEqual([{ sql: 'SELECT 2', at: 2 }]);
  });
});

/**
 * The SQL view's query history: newest first, a query run again moves to the top, at most `limit` entries, kept in
 * the browser (localStorage) behind `KeyValueStore` so a test can hand it a Map. A store that is full, missing or
 * holds garbage never breaks the page: the history then lives for the session only.
 */

export interface HistoryEntry {
  sql: string;
  /** Epoch milliseconds of the last run. */
  at: number;
  dialect?: 'athena' | 'duckdb';
}

/** What localStorage offers, and all the history needs. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const HISTORY_KEY = 'lake-console.query-history.v1';
/** Longer queries are run but not kept (localStorage holds a few MB per origin). */
export const MAX_KEPT_SQL = 20_000;

export class QueryHistory {
  private entries: HistoryEntry[];

  constructor(
    private readonly store: KeyValueStore | null,
    readonly limit = 50,
  ) {
    this.entries = this.load();
  }

  list(): readonly HistoryEntry[] {
    return this.entries;
  }

  add(sql: string, at: number, dialect?: HistoryEntry['dialect']): void {
    const text = sql.trim();
    if (!text || text.length > MAX_KEPT_SQL) return;
    const entry: HistoryEntry = dialect ? { sql: text, at, dialect } : { sql: text, at };
    this.entries = [entry, ...this.entries.filter((e) => e.sql !== text)].slice(0, this.limit);
    this.save();
  }

  clear(): void {
    this.entries = [];
    try {
      this.store?.removeItem(HISTORY_KEY);
    } catch {
      /* session-only then */
    }
  }

  private load(): HistoryEntry[] {
    try {
      const parsed: unknown = JSON.parse(this.store?.getItem(HISTORY_KEY) ?? '[]');
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(isEntry).slice(0, this.limit);
    } catch {
      return [];
    }
  }

  private save(): void {
    try {
      this.store?.setItem(HISTORY_KEY, JSON.stringify(this.entries));
    } catch {
      /* quota or privacy mode: session-only then */
    }
  }
}

function isEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e['sql'] === 'string' && typeof e['at'] === 'number' && (e['dialect'] === undefined || e['dialect'] === 'athena' || e['dialect'] === 'duckdb');
}

/** localStorage when the browser lets us use it. */
export function browserStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

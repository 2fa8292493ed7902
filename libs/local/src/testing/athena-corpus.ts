/**
 * The Athena corpus: everyday Athena queries over the events table, each with the answer Athena gives, computed here in
 * plain TypeScript from the records that were sent (never by running DuckDB). `query/corpus.spec.ts` builds a lake
 * from `corpusRecords()` and runs every query through QueryEngine, unchanged; `local:bench` times their translation.
 *
 * A few queries are Athena SQL the local engine can't answer as Athena does: they carry the refusal they must get
 * (one line naming the construct and the local way to write it) instead of rows.
 */
import type { Partitioning } from '@lakehouse/pipeline';
import type { EventRecord } from '@lakehouse/schema';

/** One result row as Athena prints it: text, or null for NULL. */
export type Row = Array<string | null>;

/** One hour folder of the lake, from the delivery's report (the arrival hour, not the event time). */
export interface Partition {
  year: number;
  month: number;
  day: number;
  hour: number;
  records: number;
}

export interface CorpusContext {
  records: readonly EventRecord[];
  partitions: readonly Partition[];
  /** When the test runs: current_date's answers depend on it. */
  now: Date;
  /** Which folders rows lie in: their arrival hour or their event hour. */
  partitioning: Partitioning;
}

export type CorpusKind = 'time' | 'parsing' | 'approximate' | 'strings' | 'arrays, JSON, casts' | 'CTEs, windows' | 'partitions' | 'shapes';

export interface CorpusQuery {
  name: string;
  kind: CorpusKind;
  sql: string | ((context: CorpusContext) => string);
  /** The rows Athena returns, in order when `ordered`. */
  expected?: (context: CorpusContext) => Row[];
  ordered?: boolean;
  /** The column names Athena gives, where the query is about them. */
  columns?: string[];
  /** For Athena SQL the local engine refuses: the refusal's one line. */
  refused?: RegExp;
}

/** Wednesday 2026-11-25 18:31:36.410 UTC: the newest record; each next one is 37 min 13 ms older (about 7.7 days). */
const NEWEST = Date.UTC(2026, 10, 25, 18, 31, 36, 410);
export const CORPUS_SIZE = 300;
/** The last 20 records repeat the first 20 uuids: 280 distinct. */
const DISTINCT_UUIDS = 280;

const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The corpus's records: fixed times over several hours and days, every status, a few repeated uuids. */
export function corpusRecords(): EventRecord[] {
  return Array.from({ length: CORPUS_SIZE }, (_, i) => ({
    uuid: uuidOf(i < DISTINCT_UUIDS ? i : i - DISTINCT_UUIDS),
    event_date: new Date(NEWEST - i * 37 * 60_000 - i * 13).toISOString(),
    status: (['Active', 'Inactive', 'Canceled'] as const)[i % 3] ?? 'Active',
    name: i === 0 ? 'Alice' : `Name${i}`,
    last_name: `Last${i % 50}`,
    email: i === 0 ? 'alice@example.com' : i % 5 === 0 ? `User${i}@Corp.org` : i % 4 === 1 ? `user${i}@mail.example.com` : `user${i}@example.com`,
    phone: 900_000_000 + ((i * 7_919_731) % 99_999_999),
  }));
}

// --- Athena's answers, in plain TypeScript -------------------------------------------------------------------

const at = (r: EventRecord) => new Date(r.event_date);
const iso = (d: Date) => d.toISOString();
/** timestamp(3) as Athena prints it. */
const ts = (d: Date) => iso(d).replace('T', ' ').slice(0, 23);
const day = (d: Date) => iso(d).slice(0, 10);
const hourOf = (d: Date) => `${iso(d).slice(0, 13).replace('T', ' ')}`;
const isoDow = (d: Date) => ((d.getUTCDay() + 6) % 7) + 1;
const dayOfYear = (d: Date) =>
  Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function isoWeek(d: Date): number {
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - isoDow(d)));
  return Math.ceil(((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
}

/** Java's Double.toString, for the doubles the corpus expects. */
function double(x: number): string {
  if (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e7) return Number.isInteger(x) ? `${x}.0` : String(x);
  const [mantissa = '', exponent = ''] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** Rows of (key, count) per key, ordered by key (as text unless `numeric`). */
function countBy<K extends string | number>(records: readonly EventRecord[], key: (r: EventRecord) => K): Row[] {
  const counts = new Map<K, number>();
  for (const r of records) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => [String(k), String(n)]);
}

const count = (records: readonly EventRecord[], test: (r: EventRecord) => boolean): Row[] => [[String(records.filter(test).length)]];
const alice = (c: CorpusContext) => c.records[0] as EventRecord;
const byName = (c: CorpusContext, name: string) => c.records.find((r) => r.name === name) as EventRecord;
const sortedPhones = (c: CorpusContext) => c.records.map((r) => r.phone).sort((a, b) => a - b);
/** approx_percentile, exact locally: the value at rank ⌊(n − 1)·p⌋ of the sorted values. */
const percentile = (values: number[], p: number) => String(values[Math.floor((values.length - 1) * p)]);
const statuses = ['Active', 'Canceled', 'Inactive'];
const byStatus = (c: CorpusContext, status: string) => c.records.filter((r) => r.status === status);
const newestFirst = (records: readonly EventRecord[]) => [...records].sort((a, b) => at(b).getTime() - at(a).getTime());
const part = (c: CorpusContext) => c.partitions[0] as Partition;
/** A record's folder: its own event hour with event-time partitioning, else the (one) arrival hour of the test's lake. */
const partOf = (c: CorpusContext, r: EventRecord): Partition => {
  const hour = (p: Partition) => Date.UTC(p.year, p.month - 1, p.day, p.hour);
  const eventHour = Math.floor(Date.parse(r.event_date) / HOUR) * HOUR;
  return (c.partitions.find((p) => (c.partitioning === 'event-time' ? hour(p) === eventHour : true)) ?? c.partitions[0]) as Partition;
};
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const CORPUS: readonly CorpusQuery[] = [
  // --- Time bucketing and arithmetic
  {
    name: 'events per hour (date_format)',
    kind: 'time',
    sql: "SELECT date_format(event_date, '%Y-%m-%d %H:00') AS hour, count(*) AS events FROM events GROUP BY 1 ORDER BY 1",
    expected: (c) => countBy(c.records, (r) => `${hourOf(at(r))}:00`),
    ordered: true,
  },
  {
    name: 'events per day (date_trunc)',
    kind: 'time',
    sql: "SELECT date_trunc('day', event_date) AS day, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    expected: (c) => countBy(c.records, (r) => `${day(at(r))} 00:00:00.000`),
    ordered: true,
  },
  {
    name: 'the three latest hours',
    kind: 'time',
    sql: "SELECT date_trunc('hour', event_date) AS hour, count(*) AS n FROM events GROUP BY 1 ORDER BY 1 DESC LIMIT 3",
    expected: (c) =>
      countBy(c.records, (r) => `${hourOf(at(r))}:00:00.000`)
        .reverse()
        .slice(0, 3),
    ordered: true,
  },
  {
    name: 'per day of the week (Monday 1)',
    kind: 'time',
    sql: 'SELECT day_of_week(event_date) AS dow, count(*) AS n FROM events GROUP BY 1 ORDER BY 1',
    expected: (c) => countBy(c.records, (r) => isoDow(at(r))),
    ordered: true,
  },
  {
    name: 'per day of the year',
    kind: 'time',
    sql: 'SELECT day_of_year(event_date) AS doy, count(*) AS n FROM events GROUP BY 1 ORDER BY 1',
    expected: (c) => countBy(c.records, (r) => dayOfYear(at(r))),
    ordered: true,
  },
  {
    name: 'extract(hour) and extract(dow)',
    kind: 'time',
    sql: 'SELECT extract(hour FROM event_date) AS h, extract(dow FROM event_date) AS d, count(*) AS n FROM events GROUP BY 1, 2',
    expected: (c) => countBy(c.records, (r) => `${at(r).getUTCHours()}|${isoDow(at(r))}`).map(([k, n]) => [...(k ?? '').split('|'), n ?? '']),
  },
  {
    name: 'ISO week',
    kind: 'time',
    sql: 'SELECT week(event_date) AS week, count(*) AS n FROM events GROUP BY 1 ORDER BY 1',
    expected: (c) => countBy(c.records, (r) => isoWeek(at(r))),
    ordered: true,
  },
  {
    name: "date_add('hour', -1, …)",
    kind: 'time',
    sql: "SELECT date_add('hour', -1, event_date) FROM events WHERE name = 'Alice'",
    expected: (c) => [[ts(new Date(at(alice(c)).getTime() - HOUR))]],
  },
  {
    name: 'the last two days, with date_add',
    kind: 'time',
    sql: "SELECT count(*) FROM events WHERE event_date > date_add('day', -2, TIMESTAMP '2026-11-25 18:31:36.410')",
    expected: (c) => count(c.records, (r) => at(r).getTime() > NEWEST - 2 * DAY),
  },
  {
    name: 'the last day, with an interval',
    kind: 'time',
    sql: "SELECT count(*) FROM events WHERE event_date >= TIMESTAMP '2026-11-25 18:31:36.410' - INTERVAL '1' DAY",
    expected: (c) => count(c.records, (r) => at(r).getTime() >= NEWEST - DAY),
  },
  {
    name: 'date_diff in minutes over the whole table',
    kind: 'time',
    sql: "SELECT date_diff('minute', min(event_date), max(event_date)) FROM events",
    expected: (c) => {
      const times = c.records.map((r) => at(r).getTime());
      return [[String(Math.floor((Math.max(...times) - Math.min(...times)) / MINUTE))]];
    },
  },
  {
    name: 'date_diff in hours per status',
    kind: 'time',
    sql: "SELECT status, date_diff('hour', min(event_date), max(event_date)) AS hours FROM events GROUP BY status ORDER BY status",
    expected: (c) =>
      statuses.map((s) => {
        const times = byStatus(c, s).map((r) => at(r).getTime());
        return [s, String(Math.floor((Math.max(...times) - Math.min(...times)) / HOUR))];
      }),
    ordered: true,
  },
  {
    name: 'to_unixtime',
    kind: 'time',
    sql: "SELECT to_unixtime(event_date) FROM events WHERE name = 'Alice'",
    expected: (c) => [[double(at(alice(c)).getTime() / 1000)]],
  },
  {
    name: 'from_unixtime',
    kind: 'time',
    sql: 'SELECT from_unixtime(1795631496)',
    expected: () => [['2026-11-25 18:31:36.000 UTC']],
  },
  {
    name: 'hour in New York (AT TIME ZONE)',
    kind: 'time',
    sql: "SELECT hour(event_date AT TIME ZONE 'America/New_York') AS h, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    // Late November: New York is on EST, UTC−5.
    expected: (c) => countBy(c.records, (r) => (at(r).getUTCHours() + 19) % 24),
    ordered: true,
  },
  {
    name: 'a time in Tokyo (AT TIME ZONE, selected)',
    kind: 'time',
    sql: "SELECT event_date AT TIME ZONE 'Asia/Tokyo' AS tokyo FROM events WHERE name = 'Alice'",
    expected: (c) => [[`${ts(new Date(at(alice(c)).getTime() + 9 * HOUR))} Asia/Tokyo`]],
  },
  {
    name: 'before tomorrow (current_date)',
    kind: 'time',
    sql: "SELECT count(*) FROM events WHERE event_date < current_date + INTERVAL '1' DAY",
    expected: (c) => count(c.records, (r) => at(r).getTime() < Date.UTC(c.now.getUTCFullYear(), c.now.getUTCMonth(), c.now.getUTCDate() + 1)),
  },
  {
    name: 'date_parse (MySQL specifiers)',
    kind: 'time',
    sql: "SELECT date_parse('2026-11-25 18:31', '%Y-%m-%d %H:%i')",
    expected: () => [['2026-11-25 18:31:00.000']],
  },
  {
    name: 'since a parsed date',
    kind: 'time',
    sql: "SELECT count(*) FROM events WHERE event_date >= date_parse('2026-11-24', '%Y-%m-%d')",
    expected: (c) => count(c.records, (r) => at(r).getTime() >= Date.UTC(2026, 10, 24)),
  },
  {
    name: 'format_datetime (Java pattern)',
    kind: 'time',
    sql: "SELECT format_datetime(event_date, 'yyyy-MM-dd HH:mm') FROM events WHERE name = 'Alice'",
    expected: (c) => [[ts(at(alice(c))).slice(0, 16)]],
  },
  {
    name: 'format_datetime with day and month names',
    kind: 'time',
    sql: "SELECT format_datetime(event_date, 'EEEE, MMMM d') AS day, count(*) AS n FROM events GROUP BY 1",
    expected: (c) => countBy(c.records, (r) => `${WEEKDAYS[at(r).getUTCDay()]}, ${MONTHS[at(r).getUTCMonth()]} ${at(r).getUTCDate()}`),
  },
  {
    name: 'parse_datetime',
    kind: 'time',
    sql: "SELECT parse_datetime('2026-11-25 18:31', 'yyyy-MM-dd HH:mm')",
    expected: () => [['2026-11-25 18:31:00.000 UTC']],
  },
  {
    name: 'since an ISO 8601 time',
    kind: 'time',
    sql: "SELECT count(*) FROM events WHERE event_date > from_iso8601_timestamp('2026-11-24T00:00:00Z')",
    expected: (c) => count(c.records, (r) => at(r).getTime() > Date.UTC(2026, 10, 24)),
  },
  {
    name: 'to_iso8601',
    kind: 'time',
    sql: "SELECT to_iso8601(event_date) FROM events WHERE name = 'Alice'",
    expected: (c) => [[iso(at(alice(c))).slice(0, 23)]],
  },
  {
    name: "date_format's %W %M %e (names, not minutes)",
    kind: 'time',
    sql: "SELECT date_format(event_date, '%W %M %e') FROM events WHERE name = 'Alice'",
    expected: (c) => [[`${WEEKDAYS[at(alice(c)).getUTCDay()]} ${MONTHS[at(alice(c)).getUTCMonth()]} ${at(alice(c)).getUTCDate()}`]],
  },
  {
    name: "date_format's %i %s %f",
    kind: 'time',
    sql: "SELECT date_format(event_date, '%H:%i:%s.%f') FROM events WHERE name = 'Alice'",
    expected: (c) => [[`${ts(at(alice(c))).slice(11, 23)}000`]],
  },
  {
    name: 'the five earliest minutes',
    kind: 'time',
    sql: "SELECT date_trunc('minute', event_date) AS minute FROM events ORDER BY 1 LIMIT 5",
    expected: (c) =>
      [...c.records]
        .sort((a, b) => at(a).getTime() - at(b).getTime())
        .slice(0, 5)
        .map((r) => [`${ts(at(r)).slice(0, 16)}:00.000`]),
    ordered: true,
  },
  {
    name: 'per date (date())',
    kind: 'time',
    sql: 'SELECT date(event_date) AS d, count(*) AS n FROM events GROUP BY 1 ORDER BY 1',
    expected: (c) => countBy(c.records, (r) => day(at(r))),
    ordered: true,
  },
  {
    name: 'the next day, a date',
    kind: 'time',
    sql: "SELECT date_add('day', 1, CAST(event_date AS DATE)) FROM events WHERE name = 'Alice'",
    expected: (c) => [[day(new Date(at(alice(c)).getTime() + DAY))]],
  },
  {
    name: 'month of a date (date_trunc on a date)',
    kind: 'time',
    sql: "SELECT DISTINCT date_trunc('month', date(event_date)) FROM events",
    expected: (c) => [...new Set(c.records.map((r) => `${day(at(r)).slice(0, 7)}-01`))].map((m) => [m]),
  },
  {
    name: 'a timestamp literal, as written',
    kind: 'time',
    sql: "SELECT TIMESTAMP '2026-11-25 18:00:00'",
    expected: () => [['2026-11-25 18:00:00']],
  },
  {
    name: 'UTC offset in a filter (AT TIME ZONE inside a comparison)',
    kind: 'time',
    sql: "SELECT count(*) FROM events WHERE event_date AT TIME ZONE 'America/New_York' > TIMESTAMP '2026-11-25 00:00:00'",
    // A zoned time compared with a timestamp: the timestamp is taken in the session's zone (UTC), instants compared.
    expected: (c) => [[String(c.records.filter((r) => at(r).getTime() > Date.UTC(2026, 10, 25)).length)]],
  },

  // --- Parsing
  {
    name: 'domains (split_part)',
    kind: 'parsing',
    sql: "SELECT split_part(email, '@', 2) AS domain, count(*) AS n FROM events GROUP BY 1 ORDER BY 2 DESC, 1",
    expected: (c) =>
      countBy(c.records, (r) => r.email.split('@')[1] ?? '').sort((a, b) => Number(b[1]) - Number(a[1]) || (String(a[0]) < String(b[0]) ? -1 : 1)),
    ordered: true,
  },
  {
    name: 'split and element_at',
    kind: 'parsing',
    sql: "SELECT element_at(split(email, '@'), 1), element_at(split(email, '@'), -1), element_at(split(email, '@'), 3) FROM events WHERE name = 'Alice'",
    expected: () => [['alice', 'example.com', null]],
  },
  {
    name: 'array subscript counts from 1',
    kind: 'parsing',
    sql: "SELECT split(email, '@')[2] FROM events WHERE name = 'Alice'",
    expected: () => [['example.com']],
  },
  {
    name: 'an array, as Athena prints it',
    kind: 'parsing',
    sql: "SELECT split(email, '@') AS parts FROM events WHERE name = 'Alice'",
    expected: () => [['[alice, example.com]']],
  },
  {
    name: 'cardinality',
    kind: 'parsing',
    sql: "SELECT cardinality(split(email, '.')) AS parts, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    expected: (c) => countBy(c.records, (r) => r.email.split('.').length),
    ordered: true,
  },
  {
    name: 'array_join',
    kind: 'parsing',
    sql: "SELECT array_join(split(email, '@'), ' at ') FROM events WHERE name = 'Alice'",
    expected: () => [['alice at example.com']],
  },
  {
    name: 'regexp_extract a group',
    kind: 'parsing',
    sql: "SELECT regexp_extract(email, '@(.+)$', 1) AS domain, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    expected: (c) => countBy(c.records, (r) => r.email.split('@')[1] ?? ''),
    ordered: true,
  },
  {
    name: 'regexp_extract with no match is NULL',
    kind: 'parsing',
    sql: "SELECT name, regexp_extract(name, '[0-9]+') FROM events WHERE name IN ('Alice', 'Name12') ORDER BY name",
    expected: () => [
      ['Alice', null],
      ['Name12', '12'],
    ],
    ordered: true,
  },
  {
    name: 'substr and strpos',
    kind: 'parsing',
    sql: "SELECT substr(email, 1, strpos(email, '@') - 1) FROM events WHERE name = 'Alice'",
    expected: () => [['alice']],
  },

  // --- Approximate aggregates
  {
    name: 'approx_distinct',
    kind: 'approximate',
    sql: 'SELECT approx_distinct(uuid) FROM events',
    expected: (c) => [[String(new Set(c.records.map((r) => r.uuid)).size)]],
  },
  {
    name: 'approx_distinct per status',
    kind: 'approximate',
    sql: 'SELECT status, approx_distinct(uuid) AS users FROM events GROUP BY status ORDER BY status',
    expected: (c) => statuses.map((s) => [s, String(new Set(byStatus(c, s).map((r) => r.uuid)).size)]),
    ordered: true,
  },
  {
    name: 'approx_percentile (median)',
    kind: 'approximate',
    sql: 'SELECT approx_percentile(phone, 0.5) FROM events',
    expected: (c) => [[percentile(sortedPhones(c), 0.5)]],
  },
  {
    name: 'approx_percentile of several',
    kind: 'approximate',
    sql: 'SELECT approx_percentile(phone, ARRAY[0.25, 0.75]) FROM events',
    expected: (c) => [[`[${percentile(sortedPhones(c), 0.25)}, ${percentile(sortedPhones(c), 0.75)}]`]],
  },
  {
    name: 'count_if',
    kind: 'approximate',
    sql: "SELECT count_if(status = 'Active'), count_if(email LIKE '%@Corp.org') FROM events",
    expected: (c) => [[String(byStatus(c, 'Active').length), String(c.records.filter((r) => r.email.endsWith('@Corp.org')).length)]],
  },
  {
    name: 'count_if over no rows is 0',
    kind: 'approximate',
    sql: "SELECT count_if(status = 'Active') FROM events WHERE year = 1999",
    expected: () => [['0']],
  },
  {
    name: 'arbitrary',
    kind: 'approximate',
    sql: "SELECT status, arbitrary(last_name) LIKE 'Last%' FROM events GROUP BY 1 ORDER BY 1",
    expected: () => statuses.map((s) => [s, 'true']),
    ordered: true,
  },
  {
    name: 'max_by and min_by',
    kind: 'approximate',
    sql: 'SELECT max_by(name, event_date), min_by(name, event_date) FROM events',
    expected: (c) => [[newestFirst(c.records)[0]?.name ?? '', newestFirst(c.records).at(-1)?.name ?? '']],
  },
  {
    name: 'latest email per status (max_by)',
    kind: 'approximate',
    sql: 'SELECT status, max_by(email, event_date) FROM events GROUP BY status ORDER BY status',
    expected: (c) => statuses.map((s) => [s, newestFirst(byStatus(c, s))[0]?.email ?? '']),
    ordered: true,
  },
  {
    name: 'average phone (a double)',
    kind: 'approximate',
    sql: 'SELECT avg(phone) FROM events',
    expected: (c) => [[double(c.records.reduce((sum, r) => sum + r.phone, 0) / c.records.length)]],
  },

  // --- Strings and regular expressions
  {
    name: 'regexp_like',
    kind: 'strings',
    sql: "SELECT count(*) FROM events WHERE regexp_like(email, '^user[0-9]+@example\\.com$')",
    expected: (c) => count(c.records, (r) => /^user[0-9]+@example\.com$/.test(r.email)),
  },
  {
    name: 'regexp_like, case-insensitive',
    kind: 'strings',
    sql: "SELECT count(*) FROM events WHERE regexp_like(email, '(?i)^user')",
    expected: (c) => count(c.records, (r) => /^user/i.test(r.email)),
  },
  {
    name: 'regexp_replace, every match',
    kind: 'strings',
    sql: "SELECT regexp_replace(email, '[0-9]+', '#') FROM events WHERE name = 'Name12'",
    expected: (c) => [[byName(c, 'Name12').email.replace(/[0-9]+/g, '#')]],
  },
  {
    name: 'regexp_replace with $1',
    kind: 'strings',
    sql: "SELECT regexp_replace(email, '^(\\w+)@(\\w+)', '$2@$1') FROM events WHERE name = 'Alice'",
    expected: () => [['example@alice.com']],
  },
  {
    name: 'lower, upper, length',
    kind: 'strings',
    sql: "SELECT lower(email), upper(name), length(name) FROM events WHERE name = 'Name5'",
    expected: (c) => [[byName(c, 'Name5').email.toLowerCase(), 'NAME5', '5']],
  },
  {
    name: 'concat and ||',
    kind: 'strings',
    sql: "SELECT concat(name, ' ', last_name), name || '-' || status FROM events WHERE name = 'Alice'",
    expected: () => [['Alice Last0', 'Alice-Active']],
  },
  {
    name: 'concat with a NULL is NULL',
    kind: 'strings',
    sql: "SELECT concat(name, nullif(status, 'Active')) FROM events WHERE name = 'Alice'",
    expected: () => [[null]],
  },
  {
    name: 'LIKE',
    kind: 'strings',
    sql: "SELECT count(*) FROM events WHERE email LIKE '%@example.com'",
    expected: (c) => count(c.records, (r) => r.email.endsWith('@example.com')),
  },
  {
    name: 'lpad and replace',
    kind: 'strings',
    sql: "SELECT lpad(CAST(day_of_month(event_date) AS varchar), 3, '0'), replace(email, '@', ' at ') FROM events WHERE name = 'Alice'",
    expected: (c) => [[String(at(alice(c)).getUTCDate()).padStart(3, '0'), 'alice at example.com']],
  },

  // --- Arrays, JSON and casts
  {
    name: 'UNNEST',
    kind: 'arrays, JSON, casts',
    sql: "SELECT part, count(*) AS n FROM events CROSS JOIN UNNEST(split(email, '@')) AS t(part) WHERE name IN ('Alice', 'Name1', 'Name2') GROUP BY 1 ORDER BY 1",
    expected: (c) =>
      countBy(
        ['Alice', 'Name1', 'Name2'].flatMap((n) =>
          byName(c, n)
            .email.split('@')
            .map((p) => ({ ...byName(c, n), name: p })),
        ),
        (r) => r.name,
      ),
    ordered: true,
  },
  {
    name: 'array_agg in order',
    kind: 'arrays, JSON, casts',
    sql: "SELECT array_agg(name ORDER BY event_date) FROM events WHERE event_date >= TIMESTAMP '2026-11-25 16:00:00'",
    expected: (c) => [
      [
        `[${[...c.records]
          .reverse()
          .filter((r) => at(r).getTime() >= Date.UTC(2026, 10, 25, 16))
          .map((r) => r.name)
          .join(', ')}]`,
      ],
    ],
  },
  {
    name: 'contains',
    kind: 'arrays, JSON, casts',
    sql: "SELECT count(*) FROM events WHERE contains(split(email, '@'), 'example.com')",
    expected: (c) => count(c.records, (r) => r.email.split('@').includes('example.com')),
  },
  {
    name: 'transform and filter (lambdas)',
    kind: 'arrays, JSON, casts',
    sql: "SELECT transform(split(email, '@'), x -> upper(x)), filter(split(email, '.'), x -> length(x) > 3) FROM events WHERE name = 'Alice'",
    expected: () => [['[ALICE, EXAMPLE.COM]', '[alice@example]']],
  },
  {
    name: 'json_extract_scalar',
    kind: 'arrays, JSON, casts',
    sql: `SELECT json_extract_scalar('{"name": "' || name || '", "phone": ' || CAST(phone AS varchar) || '}', '$.phone') FROM events WHERE name = 'Alice'`,
    expected: (c) => [[String(alice(c).phone)]],
  },
  {
    name: 'json_extract_scalar of an object is NULL; json_extract',
    kind: 'arrays, JSON, casts',
    sql: `SELECT json_extract_scalar('{"a": {"b": 42}}', '$.a.b'), json_extract_scalar('{"a": {"b": 42}}', '$.a'), json_extract('{"a": {"b": 42}}', '$.a')`,
    expected: () => [['42', null, '{"b":42}']],
  },
  {
    name: 'json_parse and json_format',
    kind: 'arrays, JSON, casts',
    sql: `SELECT json_format(json_parse('{"a": 1, "b": [1, 2]}'))`,
    expected: () => [['{"a":1,"b":[1,2]}']],
  },
  {
    name: 'try_cast and try',
    kind: 'arrays, JSON, casts',
    sql: "SELECT try_cast('12' AS integer), try_cast('x' AS integer), try(CAST('y' AS bigint))",
    expected: () => [['12', null, null]],
  },
  {
    name: 'CAST(… AS varchar)',
    kind: 'arrays, JSON, casts',
    sql: "SELECT CAST(event_date AS varchar), CAST(phone AS varchar), length(CAST(phone AS varchar)) FROM events WHERE name = 'Alice'",
    expected: (c) => [[ts(at(alice(c))), String(alice(c).phone), '9']],
  },
  {
    name: 'typeof the columns',
    kind: 'arrays, JSON, casts',
    sql: 'SELECT typeof(event_date), typeof(phone), typeof(hour), typeof(status) FROM events LIMIT 1',
    expected: () => [['timestamp(3)', 'bigint', 'integer', 'varchar']],
  },
  {
    name: 'typeof literals',
    kind: 'arrays, JSON, casts',
    sql: "SELECT typeof(1), typeof(1.5), typeof('abc'), typeof(now()), typeof(count(*))",
    expected: () => [['integer', 'decimal(2,1)', 'varchar(3)', 'timestamp(3) with time zone', 'bigint']],
  },

  // --- CTEs and window functions
  {
    name: 'a CTE',
    kind: 'CTEs, windows',
    sql: 'WITH per_status AS (SELECT status, count(*) AS n FROM events GROUP BY status) SELECT max(n) FROM per_status',
    expected: (c) => [[String(Math.max(...statuses.map((s) => byStatus(c, s).length)))]],
  },
  {
    name: 'the latest event per status (row_number)',
    kind: 'CTEs, windows',
    sql: 'SELECT status, name FROM (SELECT status, name, row_number() OVER (PARTITION BY status ORDER BY event_date DESC) AS rn FROM events) WHERE rn = 1 ORDER BY status',
    expected: (c) => statuses.map((s) => [s, newestFirst(byStatus(c, s))[0]?.name ?? '']),
    ordered: true,
  },
  {
    name: 'gap to the previous event (lag)',
    kind: 'CTEs, windows',
    sql: "SELECT name, date_diff('second', lag(event_date) OVER (ORDER BY event_date), event_date) AS gap FROM events ORDER BY event_date DESC LIMIT 3",
    expected: (c) =>
      newestFirst(c.records)
        .slice(0, 3)
        .map((r, i) => [r.name, String(Math.floor((at(r).getTime() - at(newestFirst(c.records)[i + 1] as EventRecord).getTime()) / SECOND))]),
    ordered: true,
  },
  {
    name: 'running total per day',
    kind: 'CTEs, windows',
    sql: "SELECT date_trunc('day', event_date) AS day, count(*) AS n, sum(count(*)) OVER (ORDER BY date_trunc('day', event_date)) AS running FROM events GROUP BY 1 ORDER BY 1",
    expected: (c) => {
      let running = 0;
      return countBy(c.records, (r) => `${day(at(r))} 00:00:00.000`).map(([d, n]) => [d ?? '', n ?? '', String((running += Number(n)))]);
    },
    ordered: true,
  },
  {
    name: 'rank of the statuses',
    kind: 'CTEs, windows',
    sql: 'SELECT status, n, rank() OVER (ORDER BY n DESC) AS r FROM (SELECT status, count(*) AS n FROM events GROUP BY status) ORDER BY 3, 1',
    expected: (c) => {
      const counts = statuses.map((s) => [s, byStatus(c, s).length] as const);
      return counts
        .map(([s, n]) => [s, String(n), String(1 + counts.filter(([, m]) => m > n).length)])
        .sort((a, b) => Number(a[2]) - Number(b[2]) || (String(a[0]) < String(b[0]) ? -1 : 1));
    },
    ordered: true,
  },
  {
    name: 'share of each status, with a double',
    kind: 'CTEs, windows',
    sql: 'SELECT status, round(count(*) * 100e0 / sum(count(*)) OVER (), 2) AS pct FROM events GROUP BY status ORDER BY status',
    expected: (c) => statuses.map((s) => [s, double(Math.round((byStatus(c, s).length * 100 * 100) / c.records.length) / 100)]),
    ordered: true,
  },
  {
    name: 'share of each status, with a decimal literal',
    kind: 'CTEs, windows',
    sql: 'SELECT status, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct FROM events GROUP BY status ORDER BY status',
    // decimal(…,1) ÷ bigint: exact, rounded half up to one decimal (in tenths: (2 × 1000n + total) ÷ 2 total).
    expected: (c) =>
      statuses.map((s) => {
        const tenths = Math.floor((2 * 1000 * byStatus(c, s).length + c.records.length) / (2 * c.records.length));
        return [s, (tenths / 10).toFixed(1)];
      }),
    ordered: true,
  },
  {
    name: 'HAVING',
    kind: 'CTEs, windows',
    sql: 'SELECT last_name, count(*) AS n FROM events GROUP BY 1 HAVING count(*) > 5 ORDER BY 1',
    expected: (c) => countBy(c.records, (r) => r.last_name).filter(([, n]) => Number(n) > 5),
    ordered: true,
  },
  {
    name: 'repeated uuids (IN a subquery)',
    kind: 'CTEs, windows',
    sql: 'SELECT count(*) FROM events WHERE uuid IN (SELECT uuid FROM events GROUP BY uuid HAVING count(*) > 1)',
    expected: (c) => count(c.records, (r) => c.records.filter((o) => o.uuid === r.uuid).length > 1),
  },

  // --- Partition filters on year/month/day/hour
  {
    name: 'every partition',
    kind: 'partitions',
    sql: 'SELECT count(*) FROM events WHERE year >= 2020 AND hour BETWEEN 0 AND 23',
    expected: (c) => [[String(c.records.length)]],
  },
  {
    name: 'one hour folder',
    kind: 'partitions',
    sql: (c) => `SELECT count(*) FROM events WHERE year = ${part(c).year} AND month = ${part(c).month} AND day = ${part(c).day} AND hour = ${part(c).hour}`,
    expected: (c) => [[String(part(c).records)]],
  },
  {
    name: 'events per hour folder',
    kind: 'partitions',
    sql: 'SELECT year, month, day, hour, count(*) AS n FROM events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4',
    expected: (c) => [...c.partitions].map((p) => [p.year, p.month, p.day, p.hour, p.records].map(String)),
    ordered: true,
  },
  {
    name: 'no such partition',
    kind: 'partitions',
    sql: 'SELECT count(*) FROM events WHERE year = 1999',
    expected: () => [['0']],
  },
  {
    name: 'a partition and a time',
    kind: 'partitions',
    sql: (c) => `SELECT count(*) FROM events WHERE year = ${part(c).year} AND month = ${part(c).month} AND event_date > TIMESTAMP '2026-11-24 00:00:00'`,
    expected: (c) => count(c.records, (r) => at(r).getTime() > Date.UTC(2026, 10, 24)),
  },

  // --- Query shapes: names, NULLs, integer division, quoted names
  {
    name: 'unnamed columns are _col<N>',
    kind: 'shapes',
    sql: 'SELECT count(*), status FROM events GROUP BY status ORDER BY 2',
    columns: ['_col0', 'status'],
    expected: (c) => statuses.map((s) => [String(byStatus(c, s).length), s]),
    ordered: true,
  },
  {
    name: '_col<N> through a subquery',
    kind: 'shapes',
    sql: 'SELECT * FROM (SELECT count(*) FROM events)',
    columns: ['_col0'],
    expected: (c) => [[String(c.records.length)]],
  },
  {
    name: 'UNION ALL takes the first names',
    kind: 'shapes',
    sql: "SELECT 'active' AS k, count(*) FROM events WHERE status = 'Active' UNION ALL SELECT 'other', count(*) FROM events WHERE status <> 'Active' ORDER BY 1",
    columns: ['k', '_col1'],
    expected: (c) => [
      ['active', String(byStatus(c, 'Active').length)],
      ['other', String(c.records.length - byStatus(c, 'Active').length)],
    ],
    ordered: true,
  },
  {
    name: 'a whole row',
    kind: 'shapes',
    sql: "SELECT * FROM events WHERE name = 'Alice'",
    columns: ['uuid', 'event_date', 'status', 'name', 'last_name', 'email', 'phone', 'year', 'month', 'day', 'hour'],
    expected: (c) => {
      const r = alice(c);
      const p = partOf(c, r);
      return [[r.uuid, ts(at(r)), r.status, r.name, r.last_name, r.email, String(r.phone), ...[p.year, p.month, p.day, p.hour].map(String)]];
    },
  },
  {
    name: 'integer division and modulo',
    kind: 'shapes',
    sql: 'SELECT count(*) / 7, count(*) % 7, -7 / 2 FROM events',
    expected: (c) => [[String(Math.trunc(c.records.length / 7)), String(c.records.length % 7), '-3']],
  },
  {
    name: 'CASE and if() with no else',
    kind: 'shapes',
    sql: "SELECT CASE WHEN hour(event_date) < 12 THEN 'am' ELSE 'pm' END AS half, if(status = 'Active', 'yes') AS active, count(*) AS n FROM events GROUP BY 1, 2 ORDER BY 1, 2",
    expected: (c) =>
      countBy(c.records, (r) => `${at(r).getUTCHours() < 12 ? 'am' : 'pm'}|${r.status === 'Active' ? 'yes' : '~'}`).map(([k, n]) => {
        const [half = '', active = ''] = (k ?? '').split('|');
        return [half, active === '~' ? null : active, n ?? ''];
      }),
    ordered: true,
  },
  {
    name: 'coalesce and nullif',
    kind: 'shapes',
    sql: "SELECT coalesce(nullif(status, 'Active'), 'was active') AS s, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    expected: (c) => countBy(c.records, (r) => (r.status === 'Active' ? 'was active' : r.status)),
    ordered: true,
  },
  {
    name: 'greatest with a NULL is NULL',
    kind: 'shapes',
    sql: 'SELECT greatest(1, NULL), greatest(3, 7)',
    expected: () => [[null, '7']],
  },
  {
    name: 'quoted "database"."table"',
    kind: 'shapes',
    sql: 'SELECT count(*) FROM "lakehouse_dev"."events"',
    expected: (c) => [[String(c.records.length)]],
  },
];

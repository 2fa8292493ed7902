/**
 * The lake's time partitions, one row each: the Hive folder name, the Firehose
 * timestamp pattern that fills it, and how Athena's partition projection enumerates it.
 * The Firehose prefix, the Glue partition keys and the projection are all built from this list,
 * so they can't disagree.
 */
export interface TimePartition {
  name: string;
  /** Java DateTimeFormatter pattern for `!{timestamp:…}`. */
  pattern: string;
  /** Athena projection range (inclusive) and zero padding. */
  range: readonly [number, number];
  digits: number;
  /** Where the value sits in an ISO 8601 `event_date` (`2026-11-20T23:59:59.123Z`): `[start, end)` for JQ's `.[start:end]`. */
  eventTimeSlice: readonly [number, number];
}

export const TIME_PARTITIONS: readonly TimePartition[] = [
  { name: 'year', pattern: 'yyyy', range: [2025, 2035], digits: 4, eventTimeSlice: [0, 4] },
  { name: 'month', pattern: 'MM', range: [1, 12], digits: 2, eventTimeSlice: [5, 7] },
  { name: 'day', pattern: 'dd', range: [1, 31], digits: 2, eventTimeSlice: [8, 10] },
  { name: 'hour', pattern: 'HH', range: [0, 23], digits: 2, eventTimeSlice: [11, 13] },
];

/** Glue/Athena type of every partition column (DuckDB reads them as INTEGER). */
export const PARTITION_COLUMN_TYPE = { glue: 'int', duckdb: 'INTEGER' } as const;

/** `year=!{timestamp:yyyy}/month=!{timestamp:MM}/…/` */
export function hiveTimePrefix(partitions: readonly TimePartition[] = TIME_PARTITIONS): string {
  return partitions.map((p) => `${p.name}=!{timestamp:${p.pattern}}/`).join('');
}

/**
 * What the time folders mean: `arrival` is the hour Firehose received the oldest record of an object
 * (`!{timestamp:…}`); `event-time` is the hour of each record's own `event_date`, through Firehose's dynamic
 * partitioning (a JQ 1.6 query per record, `!{partitionKeyFromQuery:…}`).
 */
export type Partitioning = 'arrival' | 'event-time';
export const PARTITIONINGS: readonly Partitioning[] = ['arrival', 'event-time'];

/** The record field event-time partitioning reads. */
export const EVENT_TIME_FIELD = 'event_date';

/**
 * `event_date`'s shape: what `toISOString()` gives, fractional seconds optional (the schema accepts 0 to 9 digits).
 * `[.]` rather than an escaped dot, so the query needs no backslash in JQ, JSON or HCL. JQ's `$` also matches
 * before a final newline, so the query checks the last character too.
 */
const EVENT_TIME_REGEX = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-5][0-9]:[0-5][0-9]([.][0-9]{1,9})?Z$';

/**
 * The JQ 1.6 query of Firehose's MetadataExtraction: an object with one string key per partition, sliced from
 * `event_date`. Slicing, not JQ's date functions: JQ 1.6's `fromdateiso8601`/`strptime` reject fractional seconds.
 * A record whose `event_date` is missing, not a string, malformed, or whose year/month/day/hour falls outside the
 * projection's range makes the query fail (`error`), so Firehose sends it to the error output instead of a folder
 * Athena would never read.
 */
export function partitionKeyQuery(partitions: readonly TimePartition[] = TIME_PARTITIONS): string {
  // Compact (no spaces around `|`): the query stays under 512 characters, the limit older API references gave.
  const inRange = partitions.map((p) => `(.[${p.eventTimeSlice[0]}:${p.eventTimeSlice[1]}]|tonumber|. >= ${p.range[0]} and . <= ${p.range[1]})`);
  const keys = partitions.map((p) => `${p.name}: .[${p.eventTimeSlice[0]}:${p.eventTimeSlice[1]}]`).join(', ');
  const [first] = partitions;
  const years = first ? ` with ${first.name} ${first.range[0]} to ${first.range[1]}` : '';
  const message = `${EVENT_TIME_FIELD}: expected an ISO 8601 UTC timestamp such as 2026-11-20T23:59:59.123Z${years}`;
  return (
    `.${EVENT_TIME_FIELD} | if type == "string" and test("${EVENT_TIME_REGEX}") and .[-1:] == "Z" and ${inRange.join(' and ')}` +
    ` then {${keys}} else error(${JSON.stringify(message)}) end`
  );
}

/** `year=!{timestamp:yyyy}/…` for arrival; `year=!{partitionKeyFromQuery:year}/…` for event-time. */
export function hivePrefix(partitioning: Partitioning, partitions: readonly TimePartition[] = TIME_PARTITIONS): string {
  if (partitioning === 'arrival') return hiveTimePrefix(partitions);
  return partitions.map((p) => `${p.name}=!{partitionKeyFromQuery:${p.name}}/`).join('');
}

/** `year=${year}/month=${month}/…/`, the tail of Athena's storage.location.template. */
export function projectionLocationTail(partitions: readonly TimePartition[] = TIME_PARTITIONS): string {
  return partitions.map((p) => `${p.name}=\${${p.name}}/`).join('');
}

/** Athena partition projection parameters for the time partitions. */
export function projectionParameters(location: string, partitions: readonly TimePartition[] = TIME_PARTITIONS): Record<string, string> {
  const params: Record<string, string> = { 'projection.enabled': 'true' };
  for (const p of partitions) {
    params[`projection.${p.name}.type`] = 'integer';
    params[`projection.${p.name}.range`] = `${p.range[0]},${p.range[1]}`;
    if (p.digits > 1) params[`projection.${p.name}.digits`] = String(p.digits);
  }
  params['storage.location.template'] = `${location}${projectionLocationTail(partitions)}`;
  return params;
}

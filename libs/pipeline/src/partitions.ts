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
}

export const TIME_PARTITIONS: readonly TimePartition[] = [
  { name: 'year', pattern: 'yyyy', range: [2025, 2035], digits: 4 },
  { name: 'month', pattern: 'MM', range: [1, 12], digits: 2 },
  { name: 'day', pattern: 'dd', range: [1, 31], digits: 2 },
  { name: 'hour', pattern: 'HH', range: [0, 23], digits: 2 },
];

/** Glue/Athena type of every partition column (DuckDB reads them as INTEGER). */
export const PARTITION_COLUMN_TYPE = { glue: 'int', duckdb: 'INTEGER' } as const;

/** `year=!{timestamp:yyyy}/month=!{timestamp:MM}/…/` */
export function hiveTimePrefix(partitions: readonly TimePartition[] = TIME_PARTITIONS): string {
  return partitions.map((p) => `${p.name}=!{timestamp:${p.pattern}}/`).join('');
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

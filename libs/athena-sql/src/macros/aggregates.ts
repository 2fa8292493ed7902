import { check, INTEGER_TYPES, overloads, refuse } from './sql';

/**
 * Aggregates (outside windows: a window takes DuckDB's own functions, which the translation names; see
 * `rewrite-windows.ts`). Athena's approximations are exact locally, within Athena's documented error. Sums of
 * integers are bigint and fail on overflow; skewness and kurtosis are Trino's (population moments); the map
 * aggregates keep the first value of a key, entries in the order their keys come.
 */

/** The first entry of each key (a list of {key, value}), as a map. */
const FIRST_OF_EACH_KEY = (entries: string) =>
  `map_from_entries(list_filter(${entries}, (e, i) -> list_position(list_transform(${entries}, x -> x.key), e.key) = i))`;

/** Central moments of the values (a list of doubles), two passes: n, and the sums of the deviations' powers. */
const MOMENT = (values: string, power: number) => `list_sum(list_transform(${values}, e -> pow(e - list_avg(${values}), ${power})))`;

export const AGGREGATE_MACROS: readonly string[] = [
  'arbitrary(x) AS any_value(x)',
  `athena_window_offset(n) AS ${check('n >= 1', 'Offset must be at least 1', 'n')}`,
  `approx_distinct(x) AS count(DISTINCT x), (x, e) AS ${check('e BETWEEN 0.0040625 AND 0.26', 'Max standard error must be in [0.0040625, 0.26000]', 'count(DISTINCT x)')}`,
  'approx_percentile(x, p) AS quantile_disc(x, p)',
  // 0 over no rows (DuckDB's count_if is NULL there).
  'count_if(x) AS count(CASE WHEN x THEN 1 END)',
  `approx_most_frequent(buckets, x, capacity) AS map_from_entries(list_transform(list_slice(list_sort(
    list_transform(system.main.map_entries(histogram(x)), e -> {'count': -CAST(e.value AS BIGINT), 'key': e.key})), 1, buckets), e -> {'key': e.key, 'value': -e.count}))`,
  'max_by(x, y) AS arg_max_null(x, y), (x, y, n) AS arg_max(x, y, n)',
  'min_by(x, y) AS arg_min_null(x, y), (x, y, n) AS arg_min(x, y, n)',
  `sum(x) AS system.main.sum(x), ${overloads(
    INTEGER_TYPES,
    (t) => `x ${t}`,
    () => 'CAST(system.main.sum(x) AS BIGINT)',
  )}`,
  `avg(x) AS CASE WHEN starts_with(system.main.typeof(min(x)), 'DECIMAL')
    THEN ${refuse('avg of a decimal (Athena averages it as a decimal of its scale, the local engine as a double)', 'avg(CAST(x AS DOUBLE)), or sum(x) / count(x)')}
    ELSE system.main.avg(x) END`,
  `skewness(x) AS athena_skewness(list(CAST(x AS DOUBLE)) FILTER (WHERE x IS NOT NULL))`,
  `athena_skewness(v) AS CASE WHEN len(v) >= 3 THEN system.main.sqrt(len(v)) * ${MOMENT('v', 3)} / pow(${MOMENT('v', 2)}, 1.5) END`,
  `kurtosis(x) AS athena_kurtosis(list(CAST(x AS DOUBLE)) FILTER (WHERE x IS NOT NULL))`,
  `athena_kurtosis(v) AS CASE WHEN len(v) >= 4 THEN ((len(v) - 1) * len(v) * (len(v) + 1)) * 1e0 / ((len(v) - 2) * (len(v) - 3)) * ${MOMENT('v', 4)} / (${MOMENT('v', 2)} * ${MOMENT('v', 2)})
    - 3e0 * ((len(v) - 1) * (len(v) - 1)) / ((len(v) - 2) * (len(v) - 3)) END`,
  `map_agg(k, v) AS ${FIRST_OF_EACH_KEY("list({'key': k, 'value': v}) FILTER (WHERE k IS NOT NULL)")}`,
  `map_union(m) AS ${FIRST_OF_EACH_KEY('flatten(list(system.main.map_entries(m)) FILTER (WHERE m IS NOT NULL))')}`,
  `multimap_agg(k, v) AS athena_multimap(list({'key': k, 'value': v}) FILTER (WHERE k IS NOT NULL))`,
  `athena_multimap(entries) AS system.main.map_from_entries(list_transform(athena_distinct(list_transform(entries, e -> e.key)),
    key -> {'key': key, 'value': list_transform(list_filter(entries, e -> e.key = key), e -> e.value)}))`,
  // numeric_histogram: exact while the distinct values fit in the buckets (Athena's buckets are then the values).
  `numeric_histogram(buckets, x) AS athena_numeric_histogram(buckets, list({'value': CAST(x AS DOUBLE), 'weight': 1e0}) FILTER (WHERE x IS NOT NULL)),
    (buckets, x, w) AS athena_numeric_histogram(buckets, list({'value': CAST(x AS DOUBLE), 'weight': CAST(w AS DOUBLE)}) FILTER (WHERE x IS NOT NULL))`,
  `athena_numeric_histogram(buckets, entries) AS CASE WHEN len(athena_distinct(list_transform(entries, e -> e.value))) > buckets
    THEN ${refuse('numeric_histogram with more distinct values than buckets (Athena merges them by its own algorithm)', 'histogram(x), or fewer distinct values (round them)')}
    ELSE system.main.map_from_entries(list_transform(list_sort(athena_distinct(list_transform(entries, e -> e.value))),
      v -> {'key': v, 'value': list_sum(list_transform(list_filter(entries, e -> e.value = v), e -> e.weight))})) END`,
];

import { check, INTEGER_TYPES, raise } from './sql';

/**
 * Arrays and maps. Trino's three-valued answers where an array holds NULLs (contains, any_match, array_max …),
 * the order of elements its functions keep (the first array's, first appearances), and its errors for a subscript
 * out of range. The functions that take a lambda are written out by the translation (`rewrite-lambdas.ts`) and call
 * the `athena_*` helpers here with the lambda's results.
 */

/** The list types a typed overload takes as they are (a list of any other type goes to the untyped overload). */
const LIST_TYPES = [...INTEGER_TYPES, 'DOUBLE', 'FLOAT', 'VARCHAR', 'BOOLEAN', 'DATE', 'TIMESTAMP'].map((t) => `${t}[]`);

/** A list's or a map's size, whatever its type: its JSON form's (for the types no typed overload takes). */
const JSON_SIZE = "CASE WHEN json_type(to_json(a)) = 'ARRAY' THEN json_array_length(to_json(a)) ELSE len(json_keys(to_json(a))) END";

/** Whether a value is a list, from its type's name (DuckDB's `INTEGER[]`). */
const IS_LIST = (x: string) => `ends_with(system.main.typeof(${x}), ']')`;

export const ARRAY_MACROS: readonly string[] = [
  `cardinality(a) AS CAST(${JSON_SIZE} AS BIGINT), ${LIST_TYPES.map((t) => `(a ${t}) AS CAST(len(a) AS BIGINT)`).join(', ')}`,
  // a[i]: an index out of the array fails (element_at gives NULL); a key missing from the map fails.
  // (The untyped overload binds both ways, for a list of another type and a map: DuckDB binds every CASE branch.)
  `athena_subscript(a, i) AS CASE WHEN ${IS_LIST('a')} THEN athena_list_at(a, i, ${JSON_SIZE}) ELSE athena_map_at(a, i) END,
    ${LIST_TYPES.map((t) => `(a ${t}, i) AS athena_array_at(a, CAST(i AS VARCHAR), len(a))`).join(', ')}`,
  `athena_array_at(a, i, n) AS CASE WHEN TRY_CAST(i AS BIGINT) < 1 THEN ${raise("'SQL array indices start at 1'", 'a[TRY_CAST(i AS BIGINT)]')}
    WHEN TRY_CAST(i AS BIGINT) > n THEN ${raise("'Array subscript must be less than or equal to array length: ' || i || ' > ' || n", 'a[TRY_CAST(i AS BIGINT)]')} ELSE a[TRY_CAST(i AS BIGINT)] END`,
  // a[i] where i may be a map key of any type: compared as text, so that this binds for a map too.
  `athena_list_at(a, i, n) AS CASE WHEN TRY_CAST(CAST(i AS VARCHAR) AS BIGINT) < 1 THEN ${raise("'SQL array indices start at 1'", 'a[i]')}
    WHEN TRY_CAST(CAST(i AS VARCHAR) AS BIGINT) > n THEN ${raise("'Array subscript must be less than or equal to array length: ' || i || ' > ' || n", 'a[i]')} ELSE a[i] END`,
  `athena_map_at(m, k) AS CASE WHEN m[k] IS NOT NULL OR list_contains(json_keys(to_json(m)), CAST(k AS VARCHAR)) THEN m[k] ELSE ${raise("'Key not present in map: ' || k", 'm[k]')} END`,
  `element_at(a, i) AS CASE WHEN ${IS_LIST('a')} AND CAST(i AS VARCHAR) = '0' THEN ${raise("'SQL array indices start at 1'", 'a[i]')} ELSE a[i] END`,
  // any_match, all_match, none_match, of the predicate's values (NULL where no TRUE decides and one is NULL).
  'athena_any_match(r) AS CASE WHEN list_bool_or(list_transform(r, x -> coalesce(x, false))) THEN true WHEN list_bool_or(list_transform(r, x -> x IS NULL)) THEN NULL ELSE false END',
  'athena_all_match(r) AS CASE WHEN list_bool_or(list_transform(r, x -> NOT coalesce(x, true))) THEN false WHEN list_bool_or(list_transform(r, x -> x IS NULL)) THEN NULL ELSE true END',
  'athena_none_match(r) AS NOT athena_any_match(r)',
  // Whether a list holds a value, NULL counting as a value (set operations keep one NULL).
  'athena_holds(a, v) AS len(list_filter(a, e -> e IS NOT DISTINCT FROM v)) > 0',
  'array_distinct(a) AS athena_distinct(a)',
  'array_intersect(a, b) AS athena_distinct(list_filter(a, v -> athena_holds(b, v)))',
  'array_union(a, b) AS athena_distinct(list_concat(a, b))',
  'array_except(a, b) AS athena_distinct(list_filter(a, v -> NOT athena_holds(b, v)))',
  'array_first(a) AS a[1]',
  'array_last(a) AS a[-1]',
  `array_histogram(a) AS map_from_entries(list_transform(athena_distinct(list_filter(a, v -> v IS NOT NULL)),
    v -> {'key': v, 'value': CAST(len(list_filter(a, e -> e = v)) AS BIGINT)}))`,
  `array_join(a, sep) AS array_to_string(list_transform(list_filter(a, v -> v IS NOT NULL), v -> athena_varchar_of(v)), sep),
    (a, sep, r) AS array_to_string(list_transform(a, v -> coalesce(athena_varchar_of(v), r)), sep)`,
  'array_max(a) AS CASE WHEN athena_holds(a, NULL) THEN NULL ELSE list_max(a) END',
  'array_min(a) AS CASE WHEN athena_holds(a, NULL) THEN NULL ELSE list_min(a) END',
  'array_position(a, v) AS CAST(coalesce(list_position(a, v), 0) AS BIGINT)',
  'array_remove(a, v) AS list_filter(a, e -> e IS NULL OR e <> v)',
  "array_sort(a) AS list_sort(a, 'ASC', 'NULLS LAST')",
  'athena_map_entries(m) AS system.main.map_entries(m)',
  // The comparator's value: -1, 0 or 1, or the query fails (as Trino fails it).
  `athena_comparison(c) AS ${check('c IN (-1, 0, 1)', 'Lambda comparator must return either -1, 0, or 1', 'c')}`,
  `arrays_overlap(a, b) AS CASE WHEN len(list_filter(a, v -> v IS NOT NULL AND list_contains(b, v))) > 0 THEN true
    WHEN athena_holds(a, NULL) OR athena_holds(b, NULL) THEN NULL ELSE false END`,
  `athena_concat_arrays(a, b) AS list_concat(a, b)`,
  `combinations(a, n) AS ${check(
    'n BETWEEN 0 AND 5',
    'combination size must not exceed 5',
    `CASE n
    WHEN 0 THEN [list_slice(a, 1, 0)]
    WHEN 1 THEN list_transform(a, x -> [x])
    WHEN 2 THEN flatten(list_transform(range(1, len(a) + 1), i -> list_transform(range(i + 1, len(a) + 1), j -> [a[i], a[j]])))
    WHEN 3 THEN flatten(flatten(list_transform(range(1, len(a) + 1), i -> list_transform(range(i + 1, len(a) + 1), j -> list_transform(range(j + 1, len(a) + 1), k -> [a[i], a[j], a[k]])))))
    WHEN 4 THEN flatten(flatten(flatten(list_transform(range(1, len(a) + 1), i -> list_transform(range(i + 1, len(a) + 1), j -> list_transform(range(j + 1, len(a) + 1), k -> list_transform(range(k + 1, len(a) + 1), l -> [a[i], a[j], a[k], a[l]])))))))
    ELSE flatten(flatten(flatten(flatten(list_transform(range(1, len(a) + 1), i -> list_transform(range(i + 1, len(a) + 1), j -> list_transform(range(j + 1, len(a) + 1), k -> list_transform(range(k + 1, len(a) + 1), l -> list_transform(range(l + 1, len(a) + 1), m -> [a[i], a[j], a[k], a[l], a[m]]))))))))) END`,
  )}`,
  `contains(a, v) AS CASE WHEN v IS NULL THEN NULL WHEN list_contains(a, v) THEN true WHEN athena_holds(a, NULL) THEN NULL ELSE false END`,
  `contains_sequence(a, s) AS len(s) = 0 OR list_bool_or(list_transform(range(1, len(a) - len(s) + 2), i -> list_slice(a, i, i + len(s) - 1) = s))`,
  `ngrams(a, n) AS ${check('n > 0', 'N must be positive', 'CASE WHEN n >= len(a) THEN [a] ELSE list_transform(range(1, len(a) - n + 2), i -> list_slice(a, i, i + n - 1)) END')}`,
  `repeat(e, n) AS ${check('n >= 0', 'count argument of repeat function must be greater than or equal to 0', check('n <= 10000', 'count argument of repeat function must be less than or equal to 10000', 'list_transform(range(CAST(n AS BIGINT)), i -> e)'))}`,
  // sequence: integers (step 1 or -1 by default), dates (a day by default), dates and timestamps by an interval.
  `sequence(a, b) AS athena_int_sequence(a, b, CASE WHEN a <= b THEN 1 ELSE -1 END),
    (a DATE, b DATE) AS list_transform(athena_int_sequence(0, date_diff('day', a, b), CASE WHEN a <= b THEN 1 ELSE -1 END), d -> CAST(a + d * INTERVAL 1 DAY AS DATE)),
    (a DATE, b DATE, step INTERVAL) AS athena_date_sequence(a, b, step),
    (a TIMESTAMP, b TIMESTAMP, step INTERVAL) AS CAST(generate_series(a, b, step) AS TIMESTAMP[]),
    (a, b, step) AS athena_int_sequence(a, b, step)`,
  `athena_int_sequence(a, b, step) AS ${check("CAST(step AS VARCHAR) <> '0'", 'step must not be zero', check("(CAST(step AS VARCHAR) LIKE '-%') = (b < a) OR a = b", 'sequence stop value should be greater than or equal to start value if step is greater than zero otherwise stop should be less than or equal to start', check('abs((b - a) // step) <= 10000', 'result of sequence function must not have more than 10000 entries', 'generate_series(a, b, step)')))}`,
  // A month-based step counts from the start (Jan 31 + 1 month = Feb 29, + 2 months = Mar 31).
  `athena_date_sequence(a, b, step) AS list_filter(list_transform(range(0, 10001), k -> CAST(a + k * step AS DATE)), d -> CASE WHEN a <= b THEN d <= b ELSE d >= b END)[1:]`,
  `shuffle(a) AS list_transform(list_sort(list_transform(a, x -> {'r': system.main.random(), 'v': x})), s -> s.v)`,
  `slice(a, start, n) AS ${check("CAST(start AS VARCHAR) <> '0'", 'SQL array indices start at 1', check('n >= 0', 'length must be greater than or equal to 0', 'CASE WHEN start > 0 THEN list_slice(a, start, start + n - 1) WHEN -start > len(a) THEN list_slice(a, 1, 0) ELSE list_slice(a, len(a) + start + 1, len(a) + start + n) END'))}`,
  `trim_array(a, n) AS ${check('n >= 0', 'size must not be negative', check('n <= len(a)', 'size must not exceed array cardinality', 'list_slice(a, 1, len(a) - n)'))}`,
  'euclidean_distance(a, b) AS list_distance(CAST(a AS DOUBLE[]), CAST(b AS DOUBLE[]))',
  'dot_product(a, b) AS list_dot_product(CAST(a AS DOUBLE[]), CAST(b AS DOUBLE[]))',
  // Maps: built from keys and values (no NULL key, no key twice), from entries, filtered and transformed.
  `athena_map(k, v) AS ${check('len(k) = len(v)', 'Key and value arrays must be the same length', check('NOT athena_holds(k, NULL)', 'map key cannot be null', check('len(athena_distinct(k)) = len(k)', 'Duplicate map keys are not allowed', 'map(k, v)')))}`,
  `athena_unique_keys(entries) AS ${check('len(athena_distinct(list_transform(entries, e -> e.key))) = len(entries)', 'Duplicate map keys are not allowed', 'system.main.map_from_entries(entries)')}`,
  // An entry's key and value, whatever its fields are called (a one-entry map of it).
  'athena_entry_key(e) AS map_keys(system.main.map_from_entries([e]))[1]',
  'athena_entry_value(e) AS map_values(system.main.map_from_entries([e]))[1]',
  `map_from_entries(a) AS athena_unique_keys(list_transform(a, e -> {'key': athena_entry_key(e), 'value': athena_entry_value(e)}))`,
  `multimap_from_entries(a) AS system.main.map_from_entries(list_transform(athena_distinct(list_transform(a, e -> athena_entry_key(e))),
    k -> {'key': k, 'value': list_transform(list_filter(a, e -> athena_entry_key(e) = k), e -> athena_entry_value(e))}))`,
  `map_entries(m) AS list_transform(system.main.map_entries(m), e -> {'field0': e.key, 'field1': e.value})`,
];

import { INTEGER_TYPES, overloads, raise, refuse } from './sql';

/**
 * JSON. Athena's JSON functions take JSON or its text; text that is not JSON gives NULL (is_json_scalar and
 * json_parse fail). json_parse sorts object keys and writes numbers as Java does (Jackson); json_extract keeps the
 * document's order. Paths are converted while they are constants (`rewrite-json.ts`): these macros take DuckDB's.
 */

/** The DuckDB texts of numbers that Athena's json_extract_scalar writes as they are written, and DuckDB by their value. */
const UNCANONICAL_NUMBER = String.raw`[0-9][eE][+-]?[0-9]|\.[0-9]+0([^0-9]|$)|[0-9]{16,}|\.0000|-0([^.0-9]|$)`;

/** Levels of objects json_parse sorts (a bound: DuckDB's macros can't recurse); deeper, a refusal. */
const SORTED_LEVELS = 4;

const sortLevel = (level: number) =>
  level === 0
    ? `athena_json_sort0(j) AS CASE WHEN regexp_matches(CAST(j AS VARCHAR), '[{].*,') THEN ${refuse(`json_parse of objects nested more than ${SORTED_LEVELS} levels deep (Athena sorts their keys)`, 'extract the values with json_extract_scalar')} ELSE j END`
    : `athena_json_sort${level}(j) AS CASE json_type(j)
    WHEN 'OBJECT' THEN json('{' || array_to_string(list_transform(list_sort(system.main.map_entries(CAST(j AS MAP(VARCHAR, JSON)))),
      e -> CAST(to_json(e.key) AS VARCHAR) || ':' || coalesce(CAST(athena_json_sort${level - 1}(e.value) AS VARCHAR), 'null')), ',') || '}')
    WHEN 'ARRAY' THEN json('[' || array_to_string(list_transform(CAST(j AS JSON[]), e -> coalesce(CAST(athena_json_sort${level - 1}(e) AS VARCHAR), 'null')), ',') || ']')
    ELSE j END`;

/** json_array_contains(json, value): only a JSON value of the value's kind matches (2 matches 2, not 2.0 nor "2"). */
const CONTAINS = (kind: string, match: string) => `CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY'
    THEN list_bool_or(list_transform(CAST(j AS JSON[]), e -> ${kind} AND ${match})) OR false END`;

export const JSON_MACROS: readonly string[] = [
  ...Array.from({ length: SORTED_LEVELS + 1 }, (_, level) => sortLevel(level)),
  `json_parse(s) AS list_transform([s], athena_s -> CASE WHEN json_valid(athena_s) THEN athena_json_sort${SORTED_LEVELS}(json(athena_s))
    ELSE ${raise("'Cannot convert ''' || athena_s || ''' to JSON'", 'json(NULL)')} END)[1]`,
  `json_format(j) AS CASE WHEN regexp_matches(CAST(j AS VARCHAR), '[0-9]{8,}\\.[0-9]|e[+-]|[^0-9]0\\.00[0-9]') THEN ${refuse('json_format of a number below 0.001 or from 10000000 up (Athena writes 1.0E7)', 'CAST it to DECIMAL first')}
    ELSE CAST(j AS VARCHAR) END`,
  `is_json_scalar(j) AS CASE WHEN json_valid(j) THEN json_type(j) NOT IN ('ARRAY', 'OBJECT') ELSE ${raise("'Invalid JSON value: ' || CAST(j AS VARCHAR)", 'false')} END`,
  `json_array_length(j) AS CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY' THEN CAST(system.main.json_array_length(j) AS BIGINT) END`,
  `json_array_contains(j, v) AS ${CONTAINS("json_type(e) = 'VARCHAR'", "json_extract_string(e, '$') = CAST(v AS VARCHAR)")},
    ${overloads(
      INTEGER_TYPES,
      (t) => `j, v ${t}`,
      () => CONTAINS("json_type(e) IN ('BIGINT', 'UBIGINT')", 'CAST(e AS HUGEINT) = v'),
    )},
    (j, v DOUBLE) AS ${CONTAINS("json_type(e) = 'DOUBLE'", 'CAST(e AS DOUBLE) = v AND NOT isinf(v)')},
    (j, v BOOLEAN) AS ${CONTAINS("json_type(e) = 'BOOLEAN'", 'CAST(e AS BOOLEAN) = v')}`,
  // json_array_get: the element (counted from 0; from the end when negative); a string element as its bare text.
  `json_array_get(j, i) AS CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY' THEN athena_json_bare(system.main.json_extract(j,
    CASE WHEN i >= 0 THEN '$[' || CAST(i AS VARCHAR) || ']' ELSE '$[#' || CAST(i AS VARCHAR) || ']' END)) END`,
  `athena_json_bare(v) AS CASE WHEN json_type(v) = 'VARCHAR' THEN json_extract_string(v, '$') ELSE CAST(v AS VARCHAR) END`,
  `athena_json_extract(j, p) AS CASE WHEN json_valid(j) THEN system.main.json_extract(j, p) END`,
  `athena_json_extract_scalar(j, p) AS CASE WHEN json_valid(j) THEN athena_json_scalar(j, system.main.json_extract(j, p)) END`,
  // A scalar's text: from JSON (parsed, so canonical) a double as Java writes it; from text as it is written there.
  `athena_json_scalar(doc, v) AS CASE WHEN json_type(v) IN ('OBJECT', 'ARRAY', 'NULL') THEN NULL
    WHEN json_type(v) = 'VARCHAR' THEN json_extract_string(v, '$')
    WHEN json_type(v) <> 'DOUBLE' THEN CAST(v AS VARCHAR)
    WHEN system.main.typeof(doc) = 'JSON' THEN athena_double_text(CAST(CAST(v AS DOUBLE) AS VARCHAR))
    WHEN regexp_matches(CAST(doc AS VARCHAR), '${UNCANONICAL_NUMBER}') THEN ${refuse('json_extract_scalar of a number written as 1.50, 1e2 or with 16 digits or more (Athena gives it as written)', 'CAST(json_extract(j, path) AS DOUBLE) gives the same number in both')}
    ELSE CAST(v AS VARCHAR) END`,
  `athena_json_type(j, p) AS CASE WHEN json_valid(j) THEN json_type(j, p) END`,
  `athena_json_size(j, p) AS CASE WHEN json_valid(j) AND json_type(j, p) IS NOT NULL THEN CASE json_type(j, p) WHEN 'ARRAY' THEN CAST(system.main.json_array_length(j, p) AS BIGINT)
    WHEN 'OBJECT' THEN CAST(len(json_keys(j, p)) AS BIGINT) ELSE CAST(0 AS BIGINT) END END`,
  // SQL/JSON (json_exists, json_value, json_query) on simple paths; an error gives NULL (FALSE for json_exists), as by default.
  `athena_json_exists(j, p) AS CASE WHEN json_valid(j) THEN json_exists(j, p) ELSE false END`,
  `athena_json_value(j, p) AS CASE WHEN json_valid(j) THEN athena_json_value_of(system.main.json_extract(j, p)) END`,
  `athena_json_value_of(v) AS CASE WHEN json_type(v) IN ('OBJECT', 'ARRAY', 'NULL') THEN NULL
    WHEN json_type(v) = 'VARCHAR' THEN json_extract_string(v, '$')
    WHEN json_type(v) = 'DOUBLE' THEN ${refuse('json_value of a number that is not whole (Athena writes its SQL type’s text)', 'json_value(j, path RETURNING double)')}
    ELSE CAST(v AS VARCHAR) END`,
  // json_query: the item's JSON text (a JSON value here, so that json_array and json_object take it as JSON, as Athena's
  // do); with OMIT QUOTES a string's bare text.
  `athena_json_query(j, p, wrapped) AS CASE WHEN json_valid(j) THEN athena_json_query_of(system.main.json_extract(j, p), wrapped) END`,
  `athena_json_query_of(v, wrapped) AS CASE WHEN v IS NULL THEN NULL
    WHEN regexp_matches(CAST(v AS VARCHAR), '[0-9][.eE]') THEN ${refuse('json_query of a number that is not whole (Athena writes it as Jackson does)', 'json_extract(j, path)')}
    WHEN wrapped THEN json('[' || CAST(v AS VARCHAR) || ']') ELSE v END`,
  `athena_json_query_text(j, p) AS CASE WHEN json_type(athena_json_query(j, p, false)) = 'VARCHAR' THEN json_extract_string(athena_json_query(j, p, false), '$')
    ELSE CAST(athena_json_query(j, p, false) AS VARCHAR) END`,
  // json_array and json_object: each value as its JSON text (text quoted; JSON as it is); NULL as null, or left out.
  `athena_json_item(x) AS CASE WHEN x IS NULL THEN 'null' ELSE CAST(to_json(x) AS VARCHAR) END`,
  `athena_json_element(x, absent) AS CASE WHEN absent AND x IS NULL THEN NULL ELSE athena_json_item(x) END`,
  `athena_json_member(k, x, absent) AS CASE WHEN k IS NULL THEN ${raise("'JSON object key is null'", "''")}
    WHEN absent AND x IS NULL THEN NULL ELSE CAST(to_json(athena_varchar(k)) AS VARCHAR) || ':' || athena_json_item(x) END`,
  // A lax path that meets an array where it asks for a member, or a value where it asks for an index (Athena unwraps).
  `athena_json_lax(unwrapped, x) AS CASE WHEN unwrapped THEN ${refuse('a lax JSON path through an array to a member, or through a value to an index (Athena unwraps it)', 'write the index ($.a[0].b), or use strict')} ELSE x END`,
];

import { raise, refuse } from './sql';

/**
 * CAST as Trino casts. From varchar: an integer is optional sign and digits (around them only blanks: Java's
 * trim), a double is Java's syntax (NaN, Infinity, 1e3; not DuckDB's 'inf'), a boolean is t/f/1/0/true/false, a
 * date is yyyy-mm-dd; a double rounds half away from zero to an integer (DuckDB rounds half to even) and goes to a
 * decimal by its shortest text (as Java's BigDecimal.valueOf). Each cast takes any type: its branches cast
 * explicitly, so they bind whatever the type and all give the target type.
 */

/** Java's String.trim: the characters up to U+0020 at both ends. */
const TRIMMED = String.raw`system.main.regexp_replace(CAST(x AS VARCHAR), '^[\x{00}-\x{20}]+|[\x{00}-\x{20}]+$', '', 'g')`;

const IS_TEXT = "system.main.typeof(x) = 'VARCHAR'";
const IS_FLOATING = "system.main.typeof(x) IN ('DOUBLE', 'FLOAT')";

const cannot = (target: string, like: string) => raise(`'Cannot cast ''' || CAST(x AS VARCHAR) || ''' to ${target}'`, like);

/** Integers: text by Java's parseLong; a double rounded half away from zero; anything else as DuckDB casts it. */
const INTEGER_CASTS = (
  [
    ['tinyint', 'TINYINT', 'TINYINT'],
    ['smallint', 'SMALLINT', 'SMALLINT'],
    ['integer', 'INTEGER', 'INT'],
    ['bigint', 'BIGINT', 'BIGINT'],
  ] as const
).map(
  ([name, type, label]) => String.raw`athena_cast_${name}(x) AS CASE
    WHEN ${IS_TEXT} THEN CASE WHEN regexp_full_match(${TRIMMED}, '[+-]?\d+') THEN CAST(${TRIMMED} AS ${type}) ELSE ${cannot(label, `CAST(NULL AS ${type})`)} END
    WHEN ${IS_FLOATING} THEN CASE WHEN isnan(CAST(x AS DOUBLE)) OR isinf(CAST(x AS DOUBLE)) THEN ${raise(`'Unable to cast ' || CAST(x AS VARCHAR) || ' to ${name}'`, `CAST(NULL AS ${type})`)}
      ELSE CAST(system.main.sign(CAST(x AS DOUBLE)) * athena_round_half(abs(CAST(x AS DOUBLE))) AS ${type}) END
    ELSE CAST(x AS ${type}) END`,
);

/** JSON's null and SQL's NULL: NULL, whatever the target. */
const JSON_NULL = "j IS NULL OR json_type(j) = 'NULL'";

const notScalar = (name: string, like: string) => raise(`'Cannot cast ' || CAST(j AS VARCHAR) || ' to ${name}'`, like);

/**
 * From JSON, by Trino's rules: a JSON string is cast as a varchar is, a number as a double (or a whole number
 * as such), a boolean as a boolean; JSON's null is NULL; an array or an object is no scalar.
 */
const JSON_CASTS = ['tinyint', 'smallint', 'integer', 'bigint', 'double', 'real', 'boolean', 'date', 'varbinary'].map(
  (name) => `athena_json_to_${name}(j) AS CASE WHEN ${JSON_NULL} THEN NULL
    WHEN json_type(j) = 'VARCHAR' THEN athena_cast_${name}(json_extract_string(j, '$'))
    WHEN json_type(j) = 'DOUBLE' THEN athena_cast_${name}(CAST(j AS DOUBLE))
    WHEN json_type(j) = 'BOOLEAN' THEN athena_cast_${name}(CAST(j AS BOOLEAN))
    WHEN json_type(j) IN ('ARRAY', 'OBJECT') THEN ${notScalar(name, `athena_cast_${name}(CAST(NULL AS BOOLEAN))`)}
    ELSE athena_cast_${name}(CAST(j AS HUGEINT)) END`,
);

export const CAST_MACROS: readonly string[] = [
  ...INTEGER_CASTS,
  ...JSON_CASTS,
  `athena_json_to_varchar(j) AS CASE WHEN ${JSON_NULL} THEN NULL
    WHEN json_type(j) = 'VARCHAR' THEN json_extract_string(j, '$') WHEN json_type(j) = 'DOUBLE' THEN athena_varchar_of(CAST(j AS DOUBLE))
    WHEN json_type(j) IN ('ARRAY', 'OBJECT') THEN ${notScalar('varchar', 'CAST(NULL AS VARCHAR)')}
    ELSE CAST(j AS VARCHAR) END`,
  `athena_json_to_decimal(j, template) AS CASE WHEN ${JSON_NULL} THEN NULL
    WHEN json_type(j) = 'VARCHAR' THEN cast_to_type(json_extract_string(j, '$'), template)
    WHEN json_type(j) = 'BOOLEAN' THEN cast_to_type(CAST(CAST(j AS BOOLEAN) AS INTEGER), template)
    WHEN json_type(j) IN ('ARRAY', 'OBJECT') THEN ${notScalar('decimal', 'template')}
    ELSE cast_to_type(CAST(j AS VARCHAR), template) END`,
  String.raw`athena_cast_double(x) AS CASE WHEN ${IS_TEXT} THEN CASE
      WHEN regexp_full_match(${TRIMMED}, '[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)') THEN CAST(system.main.regexp_replace(${TRIMMED}, '[fFdD]$', '') AS DOUBLE)
      ELSE ${cannot('DOUBLE', 'CAST(NULL AS DOUBLE)')} END
    ELSE CAST(x AS DOUBLE) END`,
  String.raw`athena_cast_real(x) AS CASE WHEN ${IS_TEXT} THEN CASE
      WHEN regexp_full_match(${TRIMMED}, '[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)') THEN CAST(system.main.regexp_replace(${TRIMMED}, '[fFdD]$', '') AS FLOAT)
      ELSE ${cannot('REAL', 'CAST(NULL AS FLOAT)')} END
    ELSE CAST(x AS FLOAT) END`,
  `athena_cast_boolean(x) AS CASE WHEN ${IS_TEXT} THEN CASE
      WHEN lower(CAST(x AS VARCHAR)) IN ('t', '1', 'true') THEN true WHEN lower(CAST(x AS VARCHAR)) IN ('f', '0', 'false') THEN false
      ELSE ${cannot('BOOLEAN', 'CAST(NULL AS BOOLEAN)')} END
    ELSE CAST(x AS BOOLEAN) END`,
  String.raw`athena_cast_date(x) AS CASE WHEN ${IS_TEXT} THEN CASE WHEN regexp_full_match(${TRIMMED}, '\d{4}-\d{1,2}-\d{1,2}') THEN CAST(${TRIMMED} AS DATE)
      ELSE ${raise("'Value cannot be cast to date: ' || CAST(x AS VARCHAR)", 'CAST(NULL AS DATE)')} END
    ELSE CAST(x AS DATE) END`,
  // To a decimal: a double by its shortest text (Java's BigDecimal.valueOf), rounded half up; text and numbers as DuckDB.
  `athena_to_decimal(x, template) AS CASE WHEN ${IS_FLOATING} THEN cast_to_type(CAST(x AS VARCHAR), template) ELSE cast_to_type(x, template) END`,
  // To varbinary: a varchar's UTF-8 bytes (DuckDB's cast would read \\x escapes in it).
  "athena_cast_varbinary(x) AS CASE WHEN system.main.typeof(x) = 'VARCHAR' THEN encode(CAST(x AS VARCHAR)) ELSE CAST(x AS BLOB) END",
];

/** A double's exact binary value, rounded half up (as Java's DecimalFormat and Formatter round) to d decimals. */
const HALF_UP = (value: string, d: string) => `system.main.round(CAST(printf('%.34f', ${value}) AS DECIMAL(38, 34)), ${d})`;

/** Numbers as Java's Formatter and DecimalFormat write them: format's %f, %d, %x; format_number; parse_data_size. */
export const FORMAT_MACROS: readonly string[] = [
  // %s: a value as Java's toString: a timestamp as LocalDateTime (2020-01-02T10:00, seconds and milliseconds when
  // not zero); a zoned time or a time as Java writes them is refused; anything else as Athena writes it.
  `athena_format_text(x) AS CASE system.main.typeof(x)
    WHEN 'TIMESTAMP' THEN strftime(CAST(x AS TIMESTAMP), '%Y-%m-%dT%H:%M') || CASE
      WHEN microsecond(CAST(x AS TIMESTAMP)) % 1000000 <> 0 THEN strftime(CAST(x AS TIMESTAMP), ':%S.%g')
      WHEN second(CAST(x AS TIMESTAMP)) <> 0 THEN strftime(CAST(x AS TIMESTAMP), ':%S') ELSE '' END
    WHEN 'TIMESTAMP WITH TIME ZONE' THEN ${refuse("format('%s') of a timestamp with time zone (Athena writes Java's ZonedDateTime)", "format('%s', CAST(ts AS TIMESTAMP)), or date_format(ts, '…')")}
    WHEN 'TIME' THEN ${refuse("format('%s') of a time (Athena writes Java's LocalTime)", "format('%s', date_format(t, '%H:%i:%s'))")}
    ELSE athena_varchar_of(x) END`,
  // %f: a double rounded half up from its shortest digits (Java's Formatter), a decimal half up; as a double for printf.
  `athena_format_fixed(x, p) AS CASE
    WHEN system.main.typeof(x) IN ('DOUBLE', 'FLOAT') AND (isnan(CAST(x AS DOUBLE)) OR isinf(CAST(x AS DOUBLE))) THEN ${raise("'format %f of ' || CAST(x AS VARCHAR) || ': Athena writes NaN or Infinity, the local engine can''t; use format(''%s'', x)'", 'CAST(NULL AS DOUBLE)')}
    WHEN abs(CAST(x AS DOUBLE)) >= 1e15 THEN ${raise("'format %f of a number from 1e15 up: Athena writes its shortest digits, the local engine can''t; use format(''%s'', x)'", 'CAST(NULL AS DOUBLE)')}
    WHEN system.main.typeof(x) IN ('DOUBLE', 'FLOAT') THEN CAST(system.main.round(CAST(CAST(CAST(x AS DOUBLE) AS VARCHAR) AS DECIMAL(38, 18)), p) AS DOUBLE)
    WHEN system.main.typeof(x) LIKE 'DECIMAL%' THEN CAST(system.main.round(x, p) AS DOUBLE)
    ELSE ${raise("'format %f of a ' || lower(system.main.typeof(x)) || ': f != java.lang.Long'", 'CAST(NULL AS DOUBLE)')} END`,
  `athena_format_integer(x) AS CASE WHEN system.main.typeof(x) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT') THEN CAST(x AS HUGEINT)
    ELSE ${raise("'format %d of a ' || lower(system.main.typeof(x)) || ': d != ' || system.main.typeof(x)", 'CAST(NULL AS HUGEINT)')} END`,
  `athena_format_unsigned(x) AS CASE WHEN athena_format_integer(x) < 0 THEN ${raise("'format %x or %o of a negative number: Athena writes its two''s complement, the local engine can''t; use to_hex or to_base'", 'CAST(NULL AS HUGEINT)')}
    ELSE athena_format_integer(x) END`,
  // format_number: the whole number divided by 1000 while it reaches 1000 (K, M, B, T, Q; k times, each division rounded
  // as Java's), then written with #.##, #.# or # by its size. The value is bound once (a one-element list) for the three patterns.
  `format_number(x) AS athena_format_count(CAST(CAST(trunc(x) AS BIGINT) AS DOUBLE))`,
  `athena_format_count(c) AS athena_format_scaled(CASE WHEN abs(c) >= 1e15 THEN c / 1000 / 1000 / 1000 / 1000 / 1000 WHEN abs(c) >= 1e12 THEN c / 1000 / 1000 / 1000 / 1000
      WHEN abs(c) >= 1e9 THEN c / 1000 / 1000 / 1000 WHEN abs(c) >= 1e6 THEN c / 1000 / 1000 WHEN abs(c) >= 1e3 THEN c / 1000 ELSE c END,
    ['', 'K', 'M', 'B', 'T', 'Q'][1 + (abs(c) >= 1e3)::INT + (abs(c) >= 1e6)::INT + (abs(c) >= 1e9)::INT + (abs(c) >= 1e12)::INT + (abs(c) >= 1e15)::INT])`,
  `athena_format_scaled(scaled, unit) AS list_transform([scaled], v -> athena_trailing_zeros(CASE WHEN v < 10 THEN CAST(${HALF_UP('v', '2')} AS VARCHAR)
    WHEN v < 100 THEN CAST(${HALF_UP('v', '1')} AS VARCHAR) ELSE CAST(${HALF_UP('v', '0')} AS VARCHAR) END))[1] || unit`,
  `athena_trailing_zeros(t) AS CASE WHEN system.main.contains(t, '.') THEN system.main.rtrim(system.main.rtrim(t, '0'), '.') ELSE t END`,
  // parse_data_size: digits and a point, then a unit (B, kB … YB: powers of 1024); the bytes truncated, as decimal(38,0).
  String.raw`parse_data_size(s) AS athena_data_size(s, regexp_extract(s, '^[0-9.]*'), list_position(['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'], system.main.substr(s, system.main.length(regexp_extract(s, '^[0-9.]*')) + 1)))`,
  String.raw`athena_data_size(s, v, unit) AS CASE
    WHEN NOT regexp_full_match(v, '\d+\.?\d*|\.\d+') OR unit IS NULL THEN ${raise("'Invalid data size: ''' || s || ''''", 'CAST(NULL AS DECIMAL(38, 0))')}
    WHEN system.main.length(system.main.split_part(v, '.', 2)) > 12 THEN ${raise("'parse_data_size with more than 12 decimals: the local engine counts bytes in 128 bits; round the size'", 'CAST(NULL AS DECIMAL(38, 0))')}
    ELSE CAST(CAST(coalesce(nullif(system.main.split_part(v, '.', 1), ''), '0') AS HUGEINT) * (CAST(1 AS HUGEINT) << (10 * (unit - 1)))
      + CAST(coalesce(nullif(system.main.split_part(v, '.', 2), ''), '0') AS HUGEINT) * (CAST(1 AS HUGEINT) << (10 * (unit - 1))) // CAST(pow(10, system.main.length(system.main.split_part(v, '.', 2))) AS HUGEINT)
      AS DECIMAL(38, 0)) END`,
];

import { check, INTEGER_TYPES, overloads, raise } from './sql';

/**
 * Arithmetic and the math chapter. Division and modulo are Trino's: an integer or decimal divided by zero fails
 * the query ("Division by zero"; DuckDB gives NULL), a decimal quotient keeps the larger scale of its operands and
 * rounds half up (5 * 1.0 / 3 = 1.7; DuckDB divides decimals as doubles), doubles follow IEEE 754.
 */

const FLOATING = "system.main.typeof(a) IN ('DOUBLE', 'FLOAT') OR system.main.typeof(b) IN ('DOUBLE', 'FLOAT')";
/** Whether a value is a double or a real (a typed macro parameter would take decimals too: DuckDB casts them). */
const FLOAT = (x: string) => `system.main.typeof(${x}) IN ('DOUBLE', 'FLOAT')`;
const DECIMAL = "starts_with(system.main.typeof(a), 'DECIMAL') OR starts_with(system.main.typeof(b), 'DECIMAL')";

/**
 * The result's type, as a zero of that type: DuckDB's sum of the operands' zeros is an integer for integers, a
 * double for doubles, and for decimals a decimal with the larger scale, widened by five digits (each addition adds
 * one) so that the quotient fits where Athena's does.
 */
const RESULT_TYPE = 'athena_widen((a - a) + (b - b))';

export const MATH_MACROS: readonly string[] = [
  'athena_widen(z) AS z + z + z + z + z + z',
  // A decimal's scale and unscaled value, from its type's name and its text (integers: scale 0).
  `athena_scale(x) AS CASE WHEN starts_with(system.main.typeof(x), 'DECIMAL') THEN CAST(system.main.regexp_extract(system.main.typeof(x), ',(\\d+)\\)$', 1) AS INTEGER) ELSE 0 END`,
  `athena_pow10(k) AS CAST('1' || system.main.repeat('0', CAST(k AS INTEGER)) AS HUGEINT)`,
  `athena_unscaled(x) AS CAST(system.main.replace(CAST(x AS VARCHAR), '.', '') AS HUGEINT)`,
  // n / d rounded half up (away from zero), in integers.
  'athena_quotient(n, d) AS (abs(n) // abs(d) + CASE WHEN 2 * (abs(n) % abs(d)) >= abs(d) THEN 1 ELSE 0 END) * system.main.sign(n) * system.main.sign(d)',
  // An unscaled integer as a decimal of the template's type (its scale s): q × 10^-s, exact, with no text built.
  `athena_decimal_of(q, template) AS cast_to_type(cast_to_type(q, template) * cast_to_type(athena_ulp(athena_scale(template)), template), template)`,
  "athena_ulp(s) AS CASE WHEN s = 0 THEN '1' ELSE '0.' || system.main.repeat('0', CAST(s - 1 AS INTEGER)) || '1' END",
  `athena_decimal_text(q, s) AS CASE WHEN s = 0 THEN CAST(q AS VARCHAR)
    ELSE (CASE WHEN q < 0 THEN '-' ELSE '' END) || CAST(abs(q) // athena_pow10(s) AS VARCHAR) || '.' || system.main.lpad(CAST(abs(q) % athena_pow10(s) AS VARCHAR), s, '0') END`,
  // One cast to the result's type around every case (the operands are written out as few times as can be: a macro's
  // arguments are copied where they are used): the integer and double quotients pass through their exact text.
  // Integers (each type, so an integer stays one): cheap. Any other pair (decimals, doubles, a mix): exact.
  `athena_divide(a, b) AS list_transform([{'a': a, 'b': b}], p -> athena_quotient_of(p.a, p.b))[1], ${overloads(
    INTEGER_TYPES,
    (t) => `a ${t}, b ${t}`,
    () => `CASE WHEN b = 0 THEN ${raise("'Division by zero'", 'a // b')} ELSE a // b END`,
  )}`,
  `athena_quotient_of(a, b) AS cast_to_type(CASE
    WHEN b = 0 AND NOT (${FLOATING}) THEN ${raise("'Division by zero'", "'0'")}
    WHEN (${DECIMAL}) AND NOT (${FLOATING}) THEN CAST(athena_decimal_of(athena_quotient(
      athena_unscaled(a) * athena_pow10(greatest(athena_scale(a), athena_scale(b)) + athena_scale(b) - athena_scale(a)), athena_unscaled(b)),
      ${RESULT_TYPE}) AS VARCHAR)
    WHEN b = 0 THEN CAST(athena_ieee_zero_divide(CAST(a AS DOUBLE), CAST(b AS DOUBLE)) AS VARCHAR)
    ELSE CAST(a / b AS VARCHAR) END, ${RESULT_TYPE})`,
  // x / 0 of doubles, as IEEE 754 gives it (DuckDB's division gives NULL where the session divides integers).
  "athena_ieee_zero_divide(a, b) AS CASE WHEN isnan(a) OR a = 0 THEN 'NaN'::DOUBLE WHEN (a < 0) <> signbit(b) THEN '-Infinity'::DOUBLE ELSE 'Infinity'::DOUBLE END",
  `athena_modulo(a, b) AS CASE WHEN b = 0 AND NOT (${FLOATING}) THEN ${raise("'Division by zero'", 'a % b')} ELSE a % b END`,
  'mod(a, b) AS athena_modulo(a, b)',
  // Constants and IEEE 754 tests.
  'e() AS 2.718281828459045::DOUBLE',
  "infinity() AS 'Infinity'::DOUBLE",
  "nan() AS 'NaN'::DOUBLE",
  'is_nan(x) AS isnan(CAST(x AS DOUBLE))',
  'is_finite(x) AS isfinite(CAST(x AS DOUBLE))',
  'is_infinite(x) AS isinf(CAST(x AS DOUBLE))',
  // Java's conversions and logarithms (Math.toDegrees, toRadians; log(b, x) is ln(x) / ln(b)).
  'degrees(x) AS CAST(x AS DOUBLE) * 57.29577951308232',
  'radians(x) AS CAST(x AS DOUBLE) * 0.017453292519943295',
  'log(b, x) AS ln(CAST(x AS DOUBLE)) / ln(CAST(b AS DOUBLE))',
  'log2(x) AS ln(CAST(x AS DOUBLE)) / ln(2e0)',
  // Decimals: Trino keeps the scale (round(1.25, 1) = 1.30), DuckDB lowers it.
  `athena_decimal_round(x, d) AS CASE WHEN d >= athena_scale(x) THEN x
    ELSE cast_to_type(athena_decimal_text(athena_quotient(athena_unscaled(x), athena_pow10(athena_scale(x) - d)) * athena_pow10(athena_scale(x) - d), athena_scale(x)), x) END`,
  // Java's Math.round of the scaled value, symmetric around zero; integers round half up at negative digits.
  `athena_round_half(y) AS CASE WHEN y - system.main.floor(y) >= 0.5 THEN system.main.floor(y) + 1 ELSE system.main.floor(y) END`,
  // Java's Math.round of the scaled value, symmetric around zero (doubles); integers round half up at negative
  // digits; decimals keep their scale (round(1.25, 1) = 1.30, where DuckDB would lower it).
  `athena_double_round(x, d) AS CASE WHEN isnan(x) OR isinf(x) THEN x WHEN x < 0 THEN -(athena_round_half(-x * pow(10e0, d)) / pow(10e0, d))
    ELSE athena_round_half(x * pow(10e0, d)) / pow(10e0, d) END`,
  `round(${'x'}) AS cast_to_type(athena_round(x, 0), system.main.round(x)), ${overloads(
    INTEGER_TYPES,
    (t) => `x ${t}`,
    () => 'x',
  )},
    ${overloads(
      INTEGER_TYPES,
      (t) => `x ${t}, d`,
      (t) => `CASE WHEN d >= 0 THEN x ELSE CAST(system.main.round(x, d) AS ${t}) END`,
    )},
    (x, d) AS athena_round(x, d)`,
  `athena_round(x, d) AS CASE WHEN ${FLOAT('x')} THEN cast_to_type(athena_double_round(CAST(x AS DOUBLE), d), x) ELSE athena_decimal_round(x, d) END`,
  // sign: of a double, NaN and -0.0 as they are; of a decimal, decimal(1,0).
  `sign(x) AS cast_to_type(CASE WHEN ${FLOAT('x')} AND (isnan(CAST(x AS DOUBLE)) OR x = 0) THEN CAST(x AS DOUBLE) ELSE CAST(system.main.sign(x) AS DOUBLE) END, system.main.round(x)),
    ${overloads(
      INTEGER_TYPES,
      (t) => `x ${t}`,
      (t) => `CAST(system.main.sign(x) AS ${t})`,
    )}`,
  // ceiling and floor of an integer is the integer, of its type.
  ...['ceil', 'ceiling', 'floor'].map(
    (name) =>
      `${name}(x) AS system.main.${name === 'floor' ? 'floor' : 'ceil'}(x), ${overloads(
        INTEGER_TYPES,
        (t) => `x ${t}`,
        () => 'x',
      )}`,
  ),
  `truncate(x) AS CASE WHEN ${FLOAT('x')} THEN cast_to_type(trunc(CAST(x AS DOUBLE)), system.main.round(x))
      ELSE cast_to_type(athena_decimal_text(athena_unscaled(x) // athena_pow10(athena_scale(x)), 0), system.main.round(x)) END,
    (x, d) AS CASE WHEN ${FLOAT('x')} THEN cast_to_type(trunc(CAST(x AS DOUBLE) * pow(10e0, d)) / pow(10e0, d), x)
      WHEN d >= athena_scale(x) THEN x
      ELSE cast_to_type(athena_decimal_text((athena_unscaled(x) // athena_pow10(athena_scale(x) - d)) * athena_pow10(athena_scale(x) - d), athena_scale(x)), x) END`,
  // Java's Math: NaN out of a function's domain, where DuckDB fails the query; cbrt corrected by one Newton step.
  "sqrt(x) AS CASE WHEN x < 0 THEN 'NaN'::DOUBLE ELSE system.main.sqrt(x) END",
  "ln(x) AS CASE WHEN x < 0 THEN 'NaN'::DOUBLE WHEN x = 0 THEN '-Infinity'::DOUBLE ELSE system.main.ln(x) END",
  "log10(x) AS CASE WHEN x < 0 THEN 'NaN'::DOUBLE WHEN x = 0 THEN '-Infinity'::DOUBLE ELSE system.main.log10(x) END",
  "asin(x) AS CASE WHEN abs(x) > 1 THEN 'NaN'::DOUBLE ELSE system.main.asin(x) END",
  "acos(x) AS CASE WHEN abs(x) > 1 THEN 'NaN'::DOUBLE ELSE system.main.acos(x) END",
  'cbrt(x) AS athena_newton_cbrt(CAST(x AS DOUBLE), system.main.cbrt(x))',
  'athena_newton_cbrt(x, y) AS CASE WHEN y = 0 OR isnan(y) OR isinf(y) THEN y ELSE y - (y * y * y - x) / (3 * y * y) END',
  'athena_bucket(x, lower, upper, n) AS CASE WHEN x < lower THEN 0 WHEN x >= upper THEN n + 1 ELSE CAST(trunc(n * (x - lower) / (upper - lower) + 1) AS BIGINT) END',
  `athena_width_bucket(x, b1, b2, n) AS CASE WHEN b1 < b2 THEN athena_bucket(x, b1, b2, n) ELSE n - athena_bucket(x, b2, b1, n) + 1 END`,
  `width_bucket(x, b1, b2, n) AS ${check('n > 0', 'bucketCount must be greater than 0', check('NOT isnan(CAST(x AS DOUBLE))', 'operand must not be NaN', check('b1 <> b2', 'bounds cannot equal each other', 'athena_width_bucket(CAST(x AS DOUBLE), CAST(b1 AS DOUBLE), CAST(b2 AS DOUBLE), CAST(n AS BIGINT))')))},
    (x, bins) AS ${check('len(bins) > 0', 'Bins cannot be an empty array', 'CAST(len(list_filter(bins, b -> b <= x)) AS BIGINT)')}`,
  // Random numbers: random(n) is an integer in [0, n) of n's type, random(m, n) in [m, n).
  ...['rand', 'random'].map(
    (name) => `${name}() AS system.main.random(),
    (n) AS ${check('n > 0', 'bound must be positive', 'cast_to_type(system.main.floor(system.main.random() * n), n)')},
    (m, n) AS ${check('m < n', 'start value must be less than stop value', 'cast_to_type(m + system.main.floor(system.main.random() * (n - m)), n)')}`,
  ),
  // Base conversion, as Java's Long.toString(x, radix) and Long.parseLong(s, radix).
  `athena_radix(r, value) AS ${check('r BETWEEN 2 AND 36', 'Radix must be between 2 and 36', 'value')}`,
  "athena_digit(c) AS CASE WHEN c BETWEEN '0' AND '9' THEN ascii(c) - 48 ELSE ascii(c) - 87 END",
  `to_base(x, r) AS athena_radix(r, CASE WHEN x < 0 THEN '-' ELSE '' END || lower(system.main.to_base(CAST(abs(x) AS BIGINT), CAST(r AS INTEGER))))`,
  `from_base(s, r) AS athena_radix(r, CASE WHEN regexp_full_match(lower(s), '[+-]?[0-9a-z]+')
      AND list_bool_and(list_transform(string_split(system.main.ltrim(lower(s), '+-'), ''), c -> athena_digit(c) < r))
    THEN CAST(CASE WHEN starts_with(s, '-') THEN -1 ELSE 1 END * list_reduce(list_transform(string_split(system.main.ltrim(lower(s), '+-'), ''), c -> CAST(athena_digit(c) AS HUGEINT)), (acc, v) -> acc * r + v, 0) AS BIGINT)
    ELSE ${raise("'Not a valid base-' || r || ' number: ' || s", '0::BIGINT')} END)`,
  // Vectors: arrays of doubles, or maps of varchar to double (sparse).
  `athena_map_cosine(a, b) AS CASE WHEN list_bool_or(list_transform(map_values(a), v -> v IS NULL)) OR list_bool_or(list_transform(map_values(b), v -> v IS NULL)) THEN NULL
    ELSE list_sum(list_transform(map_keys(a), k -> CAST(a[k] AS DOUBLE) * coalesce(CAST(b[k] AS DOUBLE), 0e0)))
      / (system.main.sqrt(list_sum(list_transform(map_values(a), v -> CAST(v AS DOUBLE) * CAST(v AS DOUBLE)))) * system.main.sqrt(list_sum(list_transform(map_values(b), v -> CAST(v AS DOUBLE) * CAST(v AS DOUBLE))))) END`,
  'cosine_similarity(a DOUBLE[], b DOUBLE[]) AS list_cosine_similarity(a, b), (a, b) AS athena_map_cosine(a, b)',
  `cosine_distance(a, b) AS 1 - cosine_similarity(a, b)`,
  // Statistics: the Wilson score interval, as Trino computes it.
  `athena_wilson(s, n, z, bound) AS ${check('s >= 0', 'number of successes must not be negative', check('n > 0', 'number of trials must be positive', check('s <= n', 'number of successes must not be larger than number of trials', check('z >= 0', 'z-score must not be negative', '(s * 1e0 / n + (z * z) / (2e0 * n) + bound * z * system.main.sqrt((s * 1e0 / n * (1 - s * 1e0 / n)) / n + (z * z) / (4e0 * n * n))) / (1 + (z * z) / n)'))))}`,
  'wilson_interval_lower(s, n, z) AS athena_wilson(s, n, CAST(z AS DOUBLE), -1)',
  'wilson_interval_upper(s, n, z) AS athena_wilson(s, n, CAST(z AS DOUBLE), 1)',
];

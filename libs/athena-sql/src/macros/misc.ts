import { checks, INTEGER_TYPES, overloads, raise } from './sql';

/**
 * Bitwise functions (two's complement, of the value's width), URLs (java.net.URI's parts, decoded), comparison's
 * GREATEST and LEAST (NULL when any argument is), and the Teradata functions.
 */

const WIDTH: Record<string, number> = { TINYINT: 8, SMALLINT: 16, INTEGER: 32, BIGINT: 64, HUGEINT: 64 };

/** A value's bits as an unsigned integer of `width` bits (two's complement). */
const UNSIGNED = (x: string, width: number) => `((CAST(${x} AS HUGEINT) + (CAST(1 AS HUGEINT) << ${width})) % (CAST(1 AS HUGEINT) << ${width}))`;
/** An unsigned `width`-bit integer back as the signed value of type `type`. */
const SIGNED = (u: string, width: number, type: string) =>
  `CAST(CASE WHEN ${u} >= (CAST(1 AS HUGEINT) << ${width - 1}) THEN ${u} - (CAST(1 AS HUGEINT) << ${width}) ELSE ${u} END AS ${type === 'HUGEINT' ? 'BIGINT' : type})`;

/** RFC 3986's parts of a URI: 1 scheme, 2 authority, 3 path, 4 query, 5 fragment. */
const URI = String.raw`'^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$'`;
/** The characters a URI may hold (java.net.URI refuses the others: then Athena's functions give NULL). */
const URI_CHARS = String.raw`'^[A-Za-z0-9\-._~:/?#\[\]@!$&''()*+,;=%]*$'`;
const PART = (n: number) => `CASE WHEN regexp_full_match(u, ${URI_CHARS}) THEN coalesce(system.main.regexp_extract(u, ${URI}, ${n}), '') END`;

export const MISC_MACROS: readonly string[] = [
  `bit_count(x, bits) AS ${checks(
    [
      ['bits BETWEEN 2 AND 64', 'Bits specified in bit_count must be between 2 and 64, got ' + "' || bits || '"],
      ['x >= -(CAST(1 AS HUGEINT) << (bits - 1)) AND x < (CAST(1 AS HUGEINT) << (bits - 1))', 'Number must be representable with the bits specified'],
    ],
    'CAST(system.main.bit_count(CAST((CAST(x AS HUGEINT) + (CAST(1 AS HUGEINT) << bits)) % (CAST(1 AS HUGEINT) << bits) AS UBIGINT)) AS BIGINT)',
  )}`,
  'bitwise_and(a, b) AS CAST(a AS BIGINT) & CAST(b AS BIGINT)',
  'bitwise_or(a, b) AS CAST(a AS BIGINT) | CAST(b AS BIGINT)',
  'bitwise_xor(a, b) AS xor(CAST(a AS BIGINT), CAST(b AS BIGINT))',
  'bitwise_not(a) AS ~CAST(a AS BIGINT)',
  `bitwise_left_shift(x, n) AS ${SIGNED(`((${UNSIGNED('x', 64)} << CAST(least(n, 64) AS INTEGER)) % (CAST(1 AS HUGEINT) << 64))`, 64, 'BIGINT')},
    ${overloads(
      INTEGER_TYPES,
      (t) => `x ${t}, n`,
      (t) =>
        `CASE WHEN n >= ${WIDTH[t]} THEN CAST(0 AS ${t === 'HUGEINT' ? 'BIGINT' : t}) ELSE ${SIGNED(`((${UNSIGNED('x', WIDTH[t] ?? 64)} << CAST(n AS INTEGER)) % (CAST(1 AS HUGEINT) << ${WIDTH[t]}))`, WIDTH[t] ?? 64, t)} END`,
    )}`,
  `bitwise_right_shift(x, n) AS CASE WHEN n >= 64 THEN 0 ELSE ${SIGNED(`(${UNSIGNED('x', 64)} >> CAST(n AS INTEGER))`, 64, 'BIGINT')} END,
    ${overloads(
      INTEGER_TYPES,
      (t) => `x ${t}, n`,
      (t) =>
        `CASE WHEN n >= ${WIDTH[t]} THEN CAST(0 AS ${t === 'HUGEINT' ? 'BIGINT' : t}) ELSE ${SIGNED(`(${UNSIGNED('x', WIDTH[t] ?? 64)} >> CAST(n AS INTEGER))`, WIDTH[t] ?? 64, t)} END`,
    )}`,
  `bitwise_right_shift_arithmetic(x, n) AS CASE WHEN n >= 64 THEN CASE WHEN x < 0 THEN -1 ELSE 0 END ELSE CAST(x AS BIGINT) >> CAST(n AS INTEGER) END,
    ${overloads(
      INTEGER_TYPES,
      (t) => `x ${t}, n`,
      (t) =>
        `CAST(CASE WHEN n >= ${WIDTH[t]} THEN CASE WHEN x < 0 THEN -1 ELSE 0 END ELSE CAST(x AS HUGEINT) >> CAST(n AS INTEGER) END AS ${t === 'HUGEINT' ? 'BIGINT' : t})`,
    )}`,
  // URLs.
  `url_extract_protocol(u) AS CASE WHEN regexp_full_match(u, ${URI_CHARS}) THEN system.main.regexp_extract(u, ${URI}, 1) END`,
  `url_extract_host(u) AS CASE WHEN regexp_full_match(u, ${URI_CHARS}) THEN system.main.regexp_extract(regexp_replace(system.main.regexp_extract(u, ${URI}, 2), '^.*@', ''), '^(\\[[^\\]]*\\]|[^:]*)', 1) END`,
  `url_extract_port(u) AS CASE WHEN regexp_full_match(u, ${URI_CHARS}) THEN TRY_CAST(NULLIF(system.main.regexp_extract(regexp_replace(system.main.regexp_extract(u, ${URI}, 2), '^.*@', ''), ':([0-9]+)$', 1), '') AS BIGINT) END`,
  `url_extract_path(u) AS system.main.url_decode(${PART(3)})`,
  `url_extract_query(u) AS system.main.url_decode(${PART(4)})`,
  `url_extract_fragment(u) AS system.main.url_decode(${PART(5)})`,
  `url_extract_parameter(u, name) AS CASE WHEN regexp_full_match(u, ${URI_CHARS}) THEN url_decode(coalesce(list_filter(list_transform(string_split(system.main.regexp_extract(u, ${URI}, 4), '&'),
    p -> [string_split(p, '=')[1], CASE WHEN system.main.strpos(p, '=') > 0 THEN system.main.substr(p, system.main.strpos(p, '=') + 1) ELSE '' END]), p -> p[1] = name)[1][2], NULL)) END`,
  // Java's URLEncoder/URLDecoder (form encoding): a space is '+', '*' stays, '~' is escaped.
  "url_encode(s) AS system.main.replace(system.main.replace(system.main.replace(system.main.url_encode(s), '%20', '+'), '%2A', '*'), '~', '%7E')",
  "url_decode(s) AS system.main.url_decode(system.main.replace(s, '+', ' '))",
  // NaN, whatever the type (a text, a list: never); comparisons with it are false on Athena (<> true).
  "athena_nan(x) AS (CAST(x AS VARCHAR) IN ('nan', '-nan'))",
  ...[
    ['eq', '=', 'false'],
    ['neq', '<>', 'true'],
    ['lt', '<', 'false'],
    ['gt', '>', 'false'],
    ['lte', '<=', 'false'],
    ['gte', '>=', 'false'],
  ].map(([name, op, withNaN]) => `athena_${name}(a, b) AS CASE WHEN athena_nan(a) OR athena_nan(b) THEN ${withNaN} ELSE a ${op} b END`),
  // text || text, and lists; text with anything else fails as on Athena (DuckDB would cast the other to text).
  `athena_concat(a, b) AS CASE WHEN (system.main.typeof(a) = 'VARCHAR') <> (system.main.typeof(b) = 'VARCHAR') AND 'NULL' NOT IN (system.main.typeof(a), system.main.typeof(b))
    THEN ${raise("'Unexpected parameters (' || lower(system.main.typeof(a)) || ', ' || lower(system.main.typeof(b)) || ') for function concat'", 'a || b')} ELSE a || b END`,
  // GREATEST and LEAST of any number of arguments: NULL when one is NULL; a NaN fails.
  ...['greatest', 'least'].map(
    (name) =>
      `${name}(a) AS a, ${[2, 3, 4, 5, 6, 7, 8, 9, 10]
        .map((n) => {
          const args = Array.from({ length: n }, (_, i) => `a${i}`);
          const nan = args.map((a) => `athena_nan(${a})`).join(' OR ');
          return `(${args.join(', ')}) AS CASE WHEN ${nan} THEN ${raise(`'Invalid argument to ${name}(): NaN'`, `system.main.${name}(${args.join(', ')})`)}
            WHEN ${args.map((a) => `${a} IS NOT NULL`).join(' AND ')} THEN system.main.${name}(${args.join(', ')}) END`;
        })
        .join(', ')}`,
  ),
  // Teradata: char2hexint is the UTF-16 code units' hex digits; index is strpos.
  `char2hexint(s) AS array_to_string(list_transform(string_split(s, ''), c -> CASE WHEN unicode(c) < 65536 THEN system.main.lpad(upper(system.main.to_base(unicode(c), 16)), 4, '0')
    ELSE upper(system.main.to_base(55296 + ((unicode(c) - 65536) >> 10), 16)) || upper(system.main.to_base(56320 + ((unicode(c) - 65536) & 1023), 16)) END), '')`,
  'index(s, sub) AS system.main.strpos(s, sub)',
];

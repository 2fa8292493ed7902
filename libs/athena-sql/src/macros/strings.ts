import { check, raise } from './sql';

/**
 * Strings and regular expressions. Athena's whitespace (trim, ltrim, rtrim) is Java's: tabs and line breaks too,
 * not only spaces; substr counts from 1 and gives '' from 0; regexp_like finds the pattern anywhere in the text.
 */

/** Java's Character.isWhitespace, as an RE2 class: what Athena's trims remove. */
const WHITESPACE = '[\\t\\n\\x{0B}\\f\\r\\x{1C}-\\x{1F} \\x{1680}\\x{2000}-\\x{2006}\\x{2008}-\\x{200A}\\x{2028}\\x{2029}\\x{205F}\\x{3000}]';

/** Characters as a list (code points), and back. */
const CHARS = (s: string) => `string_split(${s}, '')`;

/** substr and substring (the same function): characters of a varchar, bytes of a varbinary, counted from 1. */
const SUBSTRING = (name: string) =>
  `${name}(s VARCHAR, start) AS CASE WHEN start = 0 OR abs(start) > system.main.length(s) THEN '' ELSE system.main.substr(s, start) END,
    (s VARCHAR, start, n) AS ${check('n >= 0', 'Length must be greater than or equal to 0', "CASE WHEN start = 0 OR abs(start) > system.main.length(s) THEN '' ELSE system.main.substr(s, start, n) END")},
    (b BLOB, start) AS athena_binary_substr(b, start, octet_length(b)), (b BLOB, start, n) AS athena_binary_substr(b, start, n)`;

export const STRING_MACROS: readonly string[] = [
  // A list's distinct elements, in the order they first appear (DuckDB's list_distinct does not keep it).
  'athena_distinct(a) AS list_filter(a, (v, i) -> list_position(a, v) = i)',
  `codepoint(s) AS ${check('system.main.length(s) = 1', 'Input string must be a single character string', 'unicode(s)')}`,
  `athena_concat_ws(sep, a VARCHAR[]) AS array_to_string(list_filter(a, x -> x IS NOT NULL), sep), (sep, a) AS concat_ws(sep, a)`,
  `hamming_distance(a, b) AS ${check('system.main.length(a) = system.main.length(b)', 'The input strings to hamming_distance function must have the same length', 'hamming(a, b)')}`,
  'length(s VARCHAR) AS system.main.length(s), (b BLOB) AS octet_length(b)',
  'levenshtein_distance(a, b) AS levenshtein(a, b)',
  `lpad(s VARCHAR, n, p VARCHAR) AS ${check("p <> ''", 'Padding string must not be empty', check('n >= 0', 'Target length must be in the range [0..2147483647]', 'system.main.lpad(s, CAST(n AS INTEGER), p)'))},
    (s BLOB, n, p BLOB) AS athena_binary_pad(s, n, p, true)`,
  `rpad(s VARCHAR, n, p VARCHAR) AS ${check("p <> ''", 'Padding string must not be empty', check('n >= 0', 'Target length must be in the range [0..2147483647]', 'system.main.rpad(s, CAST(n AS INTEGER), p)'))},
    (s BLOB, n, p BLOB) AS athena_binary_pad(s, n, p, false)`,
  `trim(s) AS system.main.regexp_replace(s, '^${WHITESPACE}+|${WHITESPACE}+$', '', 'g'), (s, chars) AS system.main.trim(s, chars)`,
  `ltrim(s) AS system.main.regexp_replace(s, '^${WHITESPACE}+', ''), (s, chars) AS system.main.ltrim(s, chars)`,
  `rtrim(s) AS system.main.regexp_replace(s, '${WHITESPACE}+$', ''), (s, chars) AS system.main.rtrim(s, chars)`,
  `luhn_check(s) AS CASE WHEN regexp_full_match(s, '[0-9]+') THEN list_sum(list_transform(list_reverse(${CHARS('s')}), (c, i) ->
    CASE WHEN i % 2 = 0 THEN CASE WHEN CAST(c AS INTEGER) * 2 > 9 THEN CAST(c AS INTEGER) * 2 - 9 ELSE CAST(c AS INTEGER) * 2 END ELSE CAST(c AS INTEGER) END)) % 10 = 0 END`,
  `athena_overlay(s, r, start, n) AS system.main.substr(s, 1, start - 1) || r || system.main.substr(s, start + greatest(n, 0))`,
  // replace(s, '') changes nothing, as DuckDB's; a replacement's backslashes are ordinary characters in both.
  `reverse(a) AS list_reverse(a), (s VARCHAR) AS array_to_string(list_reverse(${CHARS('s')}), ''), (b BLOB) AS athena_binary_reverse(b)`,
  "replace(s, a) AS system.main.replace(s, a, ''), (s, a, b) AS system.main.replace(s, a, b)",
  `soundex(s) AS athena_soundex(list_filter(${CHARS('upper(s)')}, c -> c BETWEEN 'A' AND 'Z'))`,
  // American Soundex: the first letter, then each consonant's code unless it repeats the code before it (H and W
  // separate nothing: the code before is the last letter's that is neither), padded with zeros to four.
  `athena_soundex(letters) AS CASE WHEN len(letters) = 0 THEN '' ELSE system.main.rpad(letters[1] || array_to_string(list_transform(list_filter(
    list_transform(letters, (c, i) -> {'code': athena_soundex_code(c), 'before': athena_soundex_code(coalesce(list_filter(letters[1:i - 1], x -> x NOT IN ('H', 'W'))[-1], ''))})[2:],
    p -> p.code <> '' AND p.code <> p.before), p -> p.code), ''), 4, '0') END`,
  `athena_soundex_code(c) AS CASE WHEN c IN ('B', 'F', 'P', 'V') THEN '1' WHEN c IN ('C', 'G', 'J', 'K', 'Q', 'S', 'X', 'Z') THEN '2'
    WHEN c IN ('D', 'T') THEN '3' WHEN c = 'L' THEN '4' WHEN c IN ('M', 'N') THEN '5' WHEN c = 'R' THEN '6' ELSE '' END`,
  `split(s, d) AS ${check("d <> ''", 'The delimiter may not be the empty string', 'string_split(s, d)')},
    (s, d, n) AS ${check('n > 0', 'Limit must be positive', check("d <> ''", 'The delimiter may not be the empty string', 'CASE WHEN len(string_split(s, d)) <= n THEN string_split(s, d) ELSE list_append(list_slice(string_split(s, d), 1, n - 1), array_to_string(list_slice(string_split(s, d), n, len(string_split(s, d))), d)) END'))}`,
  `split_part(s, d, i) AS ${check('i > 0', 'Index must be greater than zero', 'CASE WHEN i <= len(string_split(s, d)) THEN system.main.split_part(s, d, i) END')}`,
  // split_to_map: entries split by `e`, each holding `kv` once; '' and a trailing delimiter add none.
  `athena_entries(s, e, kv) AS ${check(
    'e <> kv',
    'entryDelimiter and keyValueDelimiter must not be the same',
    `list_transform(
    CASE WHEN s = '' THEN [] WHEN ends_with(s, e) THEN string_split(s, e)[1:-2] ELSE string_split(s, e) END,
    p -> CASE WHEN len(string_split(p, kv)) = 2 THEN {'key': string_split(p, kv)[1], 'value': string_split(p, kv)[2]}
      ELSE ${raise("'Key-value delimiter must appear exactly once in each entry. Bad input: ''' || p || ''''", "{'key': p, 'value': p}")} END)`,
  )}`,
  `split_to_map(s, e, kv) AS map_from_entries(list_transform(athena_entries(s, e, kv), (p, i) -> CASE
    WHEN list_position(list_transform(athena_entries(s, e, kv), x -> x.key), p.key) = i THEN p
    ELSE ${raise("'Duplicate keys (' || p.key || ') are not allowed'", 'p')} END))`,
  `split_to_multimap(s, e, kv) AS map_from_entries(list_transform(athena_distinct(list_transform(athena_entries(s, e, kv), p -> p.key)),
    k -> {'key': k, 'value': list_transform(list_filter(athena_entries(s, e, kv), p -> p.key = k), p -> p.value)}))`,
  `strpos(s, sub) AS system.main.strpos(s, sub), (s, sub, n) AS ${check(
    'n <> 0',
    'instance must not be zero',
    `CASE
    WHEN n > 0 THEN athena_nth_position(s, sub, n)
    WHEN athena_nth_position(system.main.reverse(s), system.main.reverse(sub), -n) = 0 THEN 0
    ELSE system.main.length(s) - athena_nth_position(system.main.reverse(s), system.main.reverse(sub), -n) - system.main.length(sub) + 2 END`,
  )}`,
  // The nth occurrence's position: the lengths of the first n pieces, and n - 1 separators between them.
  `athena_nth_position(s, sub, n) AS CASE WHEN len(string_split(s, sub)) <= n THEN 0
    ELSE list_sum(list_transform(string_split(s, sub)[1:n], p -> system.main.length(p))) + (n - 1) * system.main.length(sub) + 1 END`,
  ...['substr', 'substring'].map((name) => SUBSTRING(name)),
  `title_case(s) AS array_to_string(list_transform(${CHARS('s')}, (c, i) -> CASE
    WHEN i = 1 OR NOT regexp_full_match(${CHARS('s')}[i - 1], '[[:alnum:]]|\\pL|\\pN') THEN upper(c) ELSE lower(c) END), '')`,
  'normalize(s) AS nfc_normalize(s)',
  'to_utf8(s) AS encode(s)',
  `from_utf8(b) AS ${check('try(decode(b)) IS NOT NULL', 'from_utf8 of invalid UTF-8: the local engine does not replace invalid sequences', 'decode(b)')},
    (b, r) AS ${check('try(decode(b)) IS NOT NULL', 'from_utf8 of invalid UTF-8: the local engine does not replace invalid sequences', 'decode(b)')}`,
  // Regular expressions (RE2 locally, Java's syntax on Athena: the common syntax is the same).
  'regexp_like(s, p) AS regexp_matches(s, p)',
  `regexp_count(s, p) AS CAST(len(system.main.regexp_extract_all(s, p)) AS BIGINT)`,
  `regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p) END,
    (s, p, g) AS CASE WHEN g > athena_groups(p) THEN ${raise("'Pattern has ' || athena_groups(p) || ' groups. Cannot access group ' || g", 's')}
      WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p, g) END`,
  // A pattern's capturing groups: its opening parentheses that are neither escaped nor (?…).
  String.raw`athena_groups(p) AS len(list_filter(system.main.regexp_extract_all(p, '\\.|\(\?|\('), t -> t = '('))`,
  `regexp_extract_all(s, p) AS system.main.regexp_extract_all(s, p),
    (s, p, g) AS CASE WHEN g > athena_groups(p) THEN ${raise("'Pattern has ' || athena_groups(p) || ' groups. Cannot access group ' || g", '[s]')} ELSE system.main.regexp_extract_all(s, p, g) END`,
  `regexp_replace(s, p) AS system.main.regexp_replace(s, p, '', 'g'),
    (s, p, r) AS system.main.regexp_replace(s, p, athena_replacement(r), 'g')`,
  // Java's replacement text ($n a group, \x the character x) as RE2's (\n a group, \\ a backslash). Named
  // groups (\${name}) are refused: RE2's replacement has none.
  String.raw`athena_replacement(r) AS array_to_string(list_transform(system.main.regexp_extract_all(r, '\\.|\$\d|[^\\$]+|\$'),
    t -> CASE WHEN t = '\\' THEN t WHEN starts_with(t, '\') THEN t[2] WHEN t = '$' THEN error('regexp_replace with a named group (${'$'}{name}) in the replacement: write the group''s number, $1')
      WHEN starts_with(t, '$') THEN '\' || t[2] ELSE t END), '')`,
  'regexp_split(s, p) AS regexp_split_to_array(s, p)',
  // regexp_position(s, p, start, n): the nth match's position from start (1-based), -1 when there is none.
  `athena_regexp_position(s, p, start, n) AS ${check(
    'start >= 1',
    'start must be a positive integer',
    check(
      'n >= 1',
      'occurrence must be a positive integer',
      `CASE
      WHEN len(system.main.regexp_extract_all(system.main.substr(s, start), p)) < n THEN -1
      ELSE CAST(start + list_sum(list_transform(regexp_split_to_array(system.main.substr(s, start), p)[1:n], x -> system.main.length(x)))
        + coalesce(list_sum(list_transform(system.main.regexp_extract_all(system.main.substr(s, start), p)[1:n - 1], x -> system.main.length(x))), 0) AS INTEGER) END`,
    ),
  )}`,
  `regexp_position(s, p) AS athena_regexp_position(s, p, 1, 1), (s, p, start) AS athena_regexp_position(s, p, start, 1),
    (s, p, start, n) AS athena_regexp_position(s, p, start, n)`,
];

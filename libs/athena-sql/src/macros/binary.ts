/**
 * varbinary: lengths, padding, substrings and reversal count bytes; encodings (base64, base32, hex, integers and
 * IEEE 754 in big-endian order) and hashes give Athena's bytes. DuckDB's blobs have few functions: the bytes are
 * worked on as hex text (two digits a byte) and turned back into a blob.
 */

import { raise } from './sql';

export const BINARY_MACROS: readonly string[] = [
  // Bytes i to i + n - 1 (1-based) of a blob; its bytes as integers 0–255.
  'athena_bytes_of(b, i, n) AS unhex(system.main.substr(hex(b), CAST(2 * i - 1 AS BIGINT), CAST(2 * n AS BIGINT)))',
  "athena_byte_list(b) AS list_transform(range(octet_length(b)), i -> CAST('0x' || system.main.substr(hex(b), CAST(2 * i + 1 AS BIGINT), 2) AS INTEGER))",
  "athena_blob_of(bytes) AS unhex(array_to_string(list_transform(bytes, x -> lpad(upper(system.main.to_base(x, 16)), 2, '0')), ''))",
  `athena_binary_substr(b, start, n) AS CASE WHEN start = 0 OR abs(start) > octet_length(b) THEN unhex('')
    ELSE athena_bytes_of(b, CASE WHEN start < 0 THEN octet_length(b) + start + 1 ELSE start END, n) END`,
  'athena_binary_reverse(b) AS athena_blob_of(list_reverse(athena_byte_list(b)))',
  `athena_binary_pad(s, n, p, at_start) AS CASE WHEN octet_length(p) = 0 THEN ${raise("'Padding bytes must not be empty'", 's')}
    WHEN n < 0 THEN ${raise("'Target length must be in the range [0..2147483647]'", 's')}
    WHEN n <= octet_length(s) THEN athena_bytes_of(s, 1, n)
    WHEN at_start THEN athena_bytes_of(system.main.repeat(p, CAST(n // octet_length(p) + 1 AS BIGINT)), 1, n - octet_length(s)) || s
    ELSE s || athena_bytes_of(system.main.repeat(p, CAST(n // octet_length(p) + 1 AS BIGINT)), 1, n - octet_length(s)) END`,
];

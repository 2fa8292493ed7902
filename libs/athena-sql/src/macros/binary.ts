/**
 * varbinary: lengths, padding, substrings and reversal count bytes; encodings (base64, base32, hex, integers and
 * IEEE 754 in big-endian order) and hashes give Athena's bytes. DuckDB's blobs have few functions: the bytes are
 * worked on as hex text (two digits a byte) and turned back into a blob.
 */

import { check, raise } from './sql';

export const BINARY_MACROS: readonly string[] = [
  // Bytes i to i + n - 1 (1-based) of a blob; its bytes as integers 0–255.
  'athena_bytes_of(b, i, n) AS unhex(system.main.substr(hex(b), CAST(2 * i - 1 AS BIGINT), CAST(2 * n AS BIGINT)))',
  "athena_byte_list(b) AS list_transform(range(octet_length(b)), i -> CAST('0x' || system.main.substr(hex(b), CAST(2 * i + 1 AS BIGINT), 2) AS INTEGER))",
  "athena_blob_of(bytes) AS unhex(array_to_string(list_transform(bytes, x -> system.main.lpad(upper(system.main.to_base(x, 16)), 2, '0')), ''))",
  `athena_binary_substr(b, start, n) AS CASE WHEN start = 0 OR abs(start) > octet_length(b) THEN unhex('')
    ELSE athena_bytes_of(b, CASE WHEN start < 0 THEN octet_length(b) + start + 1 ELSE start END, n) END`,
  'athena_binary_reverse(b) AS athena_blob_of(list_reverse(athena_byte_list(b)))',
  `athena_binary_pad(s, n, p, at_start) AS CASE WHEN octet_length(p) = 0 THEN ${raise("'Padding bytes must not be empty'", 's')}
    WHEN n < 0 THEN ${raise("'Target length must be in the range [0..2147483647]'", 's')}
    WHEN n <= octet_length(s) THEN athena_bytes_of(s, 1, n)
    WHEN at_start THEN athena_bytes_of(system.main.repeat(p, CAST(n // octet_length(p) + 1 AS BIGINT)), 1, n - octet_length(s)) || s
    ELSE s || athena_bytes_of(system.main.repeat(p, CAST(n // octet_length(p) + 1 AS BIGINT)), 1, n - octet_length(s)) END`,
  // Encodings (RFC 4648): base64 with the URL alphabet, base32 by groups of five bits.
  "to_base64url(b) AS system.main.replace(system.main.replace(to_base64(b), '+', '-'), '/', '_')",
  "from_base64url(s) AS from_base64(system.main.replace(system.main.replace(s, '-', '+'), '_', '/'))",
  `athena_bits(b) AS array_to_string(list_transform(athena_byte_list(b), x -> system.main.lpad(bin(x), 8, '0')), '')`,
  `to_base32(b) AS system.main.rpad(array_to_string(list_transform(range(0, system.main.length(athena_bits(b)), 5),
    i -> 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[CAST(('0b' || system.main.rpad(system.main.substr(athena_bits(b), i + 1, 5), 5, '0')) AS INTEGER) + 1]), ''),
    CAST((system.main.length(athena_bits(b)) + 39) // 40 * 8 AS INTEGER), '=')`,
  `from_base32(s) AS athena_blob_of(list_transform(range(0, (system.main.length(athena_base32_bits(s)) // 8) * 8, 8),
    i -> CAST(('0b' || system.main.substr(athena_base32_bits(s), i + 1, 8)) AS INTEGER)))`,
  `athena_base32_bits(s) AS array_to_string(list_transform(string_split(system.main.rtrim(upper(s), '='), ''),
    c -> system.main.lpad(bin(${check("system.main.strpos('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', c) > 0", 'Invalid base32 input', "system.main.strpos('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', c) - 1")}), 5, '0')), '')`,
  `from_hex(s) AS ${check('system.main.length(s) % 2 = 0', 'invalid input length', 'unhex(s)')}`,
  'to_hex(b) AS hex(b)',
  // Integers in big-endian two's complement.
  "athena_hex_bytes(x, n) AS unhex(system.main.lpad(hex(CAST((CAST(x AS HUGEINT) + (CAST(1 AS HUGEINT) << (8 * n))) % (CAST(1 AS HUGEINT) << (8 * n)) AS UBIGINT)), 2 * n, '0'))",
  'to_big_endian_32(x) AS athena_hex_bytes(x, 4)',
  'to_big_endian_64(x) AS athena_hex_bytes(x, 8)',
  `athena_unsigned(b) AS CAST(list_reduce(list_prepend(CAST(0 AS HUGEINT), list_transform(athena_byte_list(b), x -> CAST(x AS HUGEINT))), (acc, x) -> acc * 256 + x) AS HUGEINT)`,
  `from_big_endian_32(b) AS ${check('octet_length(b) = 4', 'expected 4-byte input, but got instead: ' + "' || octet_length(b) || '", 'CAST(CASE WHEN athena_unsigned(b) >= 2147483648 THEN athena_unsigned(b) - 4294967296 ELSE athena_unsigned(b) END AS INTEGER)')}`,
  `from_big_endian_64(b) AS ${check('octet_length(b) = 8', 'expected 8-byte input', "CAST(CASE WHEN athena_unsigned(b) >= CAST('9223372036854775808' AS HUGEINT) THEN athena_unsigned(b) - CAST('18446744073709551616' AS HUGEINT) ELSE athena_unsigned(b) END AS BIGINT)")}`,
  // IEEE 754: a double's (or a real's) bits from its sign, exponent and mantissa, and back.
  `athena_exponent(a) AS CAST(system.main.floor(system.main.log2(a)) AS INTEGER) + CASE WHEN pow(2e0, system.main.floor(system.main.log2(a))) > a THEN -1 WHEN pow(2e0, system.main.floor(system.main.log2(a)) + 1) <= a THEN 1 ELSE 0 END`,
  `athena_ieee_bits(x, exponent_bits, mantissa_bits) AS CASE
    WHEN isnan(x) THEN ((CAST(1 AS HUGEINT) << exponent_bits) - 1) << mantissa_bits | (CAST(1 AS HUGEINT) << (mantissa_bits - 1))
    ELSE (CASE WHEN x < 0 OR (x = 0 AND signbit(x)) THEN CAST(1 AS HUGEINT) << (exponent_bits + mantissa_bits) ELSE 0 END) | CASE
      WHEN isinf(x) THEN ((CAST(1 AS HUGEINT) << exponent_bits) - 1) << mantissa_bits
      WHEN x = 0 THEN 0
      WHEN athena_exponent(abs(x)) < 2 - (1 << (exponent_bits - 1)) THEN CAST(abs(x) * pow(2e0, (1 << (exponent_bits - 1)) - 2) * pow(2e0, mantissa_bits) AS HUGEINT)
      ELSE (CAST(athena_exponent(abs(x)) + (1 << (exponent_bits - 1)) - 1 AS HUGEINT) << mantissa_bits)
        | CAST((abs(x) / pow(2e0, athena_exponent(abs(x))) - 1) * pow(2e0, mantissa_bits) AS HUGEINT) END END`,
  'to_ieee754_64(x) AS athena_hex_bytes(athena_ieee_bits(CAST(x AS DOUBLE), 11, 52), 8)',
  'to_ieee754_32(x) AS athena_hex_bytes(athena_ieee_bits(CAST(x AS DOUBLE), 8, 23), 4)',
  `athena_ieee_value(bits, exponent_bits, mantissa_bits) AS (CASE WHEN (bits >> (exponent_bits + mantissa_bits)) & 1 = 1 THEN -1e0 ELSE 1e0 END) * CASE
    WHEN (bits >> mantissa_bits) & ((1 << exponent_bits) - 1) = (1 << exponent_bits) - 1 THEN CASE WHEN bits & ((CAST(1 AS HUGEINT) << mantissa_bits) - 1) = 0 THEN 'Infinity'::DOUBLE ELSE 'NaN'::DOUBLE END
    WHEN (bits >> mantissa_bits) & ((1 << exponent_bits) - 1) = 0 THEN CAST(bits & ((CAST(1 AS HUGEINT) << mantissa_bits) - 1) AS DOUBLE) * pow(2e0, 2 - (1 << (exponent_bits - 1)) - mantissa_bits)
    ELSE (1 + CAST(bits & ((CAST(1 AS HUGEINT) << mantissa_bits) - 1) AS DOUBLE) / pow(2e0, mantissa_bits)) * pow(2e0, CAST((bits >> mantissa_bits) & ((1 << exponent_bits) - 1) AS INTEGER) - (1 << (exponent_bits - 1)) + 1) END`,
  `from_ieee754_64(b) AS ${check('octet_length(b) = 8', 'Input floating-point value must be exactly 8 bytes long', 'athena_ieee_value(athena_unsigned(b), 11, 52)')}`,
  `from_ieee754_32(b) AS ${check('octet_length(b) = 4', 'Input floating-point value must be exactly 4 bytes long', 'CAST(athena_ieee_value(athena_unsigned(b), 8, 23) AS FLOAT)')}`,
  // CRC-32 (IEEE 802.3), a byte at a time, a bit at a time.
  'athena_crc_bit(c) AS xor(c >> 1, CASE WHEN c & 1 = 1 THEN 3988292384 ELSE 0 END)',
  'athena_crc_byte(c, x) AS list_reduce([xor(c, x), 0, 0, 0, 0, 0, 0, 0, 0], (acc, ignored) -> athena_crc_bit(acc))',
  `crc32(b) AS xor(list_reduce(list_prepend(4294967295, list_transform(athena_byte_list(b), x -> CAST(x AS BIGINT))), (c, x) -> athena_crc_byte(c, x)), 4294967295)`,
  // Hashes as varbinary (DuckDB gives hex text).
  'md5(b) AS unhex(system.main.md5(b))',
  'sha1(b) AS unhex(system.main.sha1(b))',
  'sha256(b) AS unhex(system.main.sha256(b))',
  // HMAC (RFC 2104) over 64-byte blocks: H((K ⊕ opad) || H((K ⊕ ipad) || m)), K hashed first when longer.
  `athena_hmac_key(k, hashed) AS athena_byte_list(CASE WHEN octet_length(k) > 64 THEN hashed ELSE k END || unhex(system.main.repeat('00', CAST(64 - octet_length(CASE WHEN octet_length(k) > 64 THEN hashed ELSE k END) AS BIGINT))))`,
  'athena_xor_key(key, pad) AS athena_blob_of(list_transform(key, x -> xor(x, pad)))',
  `hmac_md5(m, k) AS md5(athena_xor_key(athena_hmac_key(k, md5(k)), 92) || md5(athena_xor_key(athena_hmac_key(k, md5(k)), 54) || m))`,
  `hmac_sha1(m, k) AS sha1(athena_xor_key(athena_hmac_key(k, sha1(k)), 92) || sha1(athena_xor_key(athena_hmac_key(k, sha1(k)), 54) || m))`,
  `hmac_sha256(m, k) AS sha256(athena_xor_key(athena_hmac_key(k, sha256(k)), 92) || sha256(athena_xor_key(athena_hmac_key(k, sha256(k)), 54) || m))`,
];

import { realText } from '../values';
import { crc32, hexBytes, utf8 } from './expected';
import { fails, is, refused, same, type ChapterTable } from './table';

/** A double's IEEE 754 bytes, big-endian (as Java's Double.doubleToLongBits writes them). */
const doubleBytes = (x: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return hexBytes(new Uint8Array(view.buffer));
};
const floatBytes = (x: number) => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return hexBytes(new Uint8Array(view.buffer));
};
const bigEndian = (x: bigint, bytes: number) =>
  hexBytes([...Array(bytes).keys()].map((i) => Number((BigInt.asUintN(bytes * 8, x) >> BigInt(8 * (bytes - 1 - i))) & 0xffn)));

/** RFC 4648's alphabets. */
const base32 = (bytes: Uint8Array) => {
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  const chars = (bits.match(/.{1,5}/g) ?? []).map((group) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[Number.parseInt(group.padEnd(5, '0'), 2)]).join('');
  return chars.padEnd(Math.ceil(chars.length / 8) * 8, '=');
};
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

const NO_HASH = 'the local engine (DuckDB) has no such hash, and writing it in SQL would be slow and unchecked against Athena';

export const BINARY: ChapterTable = {
  chapter: 'binary',
  rows: [
    same('||', [is("X'0102' || X'03'", '01 02 03')], { form: 'varbinary || varbinary' }),
    same('concat', [is("concat(X'01', X'02', X'03')", '01 02 03')], { form: 'concat(binary1, …, binaryN)' }),
    same('length', [is("length(X'00FF01')", '3', 'bigint'), is("length(to_utf8('é'))", '2')], { form: 'length(binary)' }),
    same(
      'lpad',
      [is("lpad(X'01', 4, X'0203')", '02 03 02 01'), is("lpad(X'010203', 2, X'00')", '01 02'), fails("lpad(X'01', 3, X'')", /Padding bytes must not be empty/)],
      { form: 'lpad(binary, size, padbinary)' },
    ),
    same('rpad', [is("rpad(X'01', 4, X'0203')", '01 02 03 02')], { form: 'rpad(binary, size, padbinary)' }),
    same('substr', [is("substr(X'0102030405', 2, 3)", '02 03 04'), is("substr(X'0102030405', -2)", '04 05'), is("substr(X'0102', 0)", '')], {
      form: 'substr(binary, start, length)',
    }),
    same('reverse', [is("reverse(X'010203')", '03 02 01')], { form: 'reverse(binary)' }),
    same('from_base64', [is("from_base64('//4=')", 'ff fe'), is("from_base64('aGVsbG8=')", hexBytes(utf8('hello')))]),
    same('to_base64', [is("to_base64(X'FFFE')", base64(new Uint8Array([0xff, 0xfe]))), is("to_base64(to_utf8('hello'))", base64(utf8('hello')))]),
    same('from_base64url', [is("from_base64url('__4=')", 'ff fe')]),
    same('to_base64url', [
      is(
        "to_base64url(X'FFFE')",
        base64(new Uint8Array([0xff, 0xfe]))
          .replaceAll('+', '-')
          .replaceAll('/', '_'),
      ),
    ]),
    same('from_base32', [is("from_base32('NBSWY3DP')", hexBytes(utf8('hello')))]),
    same('to_base32', [is("to_base32(to_utf8('hello'))", base32(utf8('hello'))), is("to_base32(X'FF')", base32(new Uint8Array([0xff])))]),
    same('from_hex', [is("from_hex('00ff7A')", '00 ff 7a'), fails("from_hex('0')", /invalid input length|hex/i)]),
    same('to_hex', [is("to_hex(X'00FF7A')", '00FF7A')]),
    same('from_big_endian_32', [is("from_big_endian_32(X'FFFFFFFE')", '-2', 'integer'), fails("from_big_endian_32(X'01')", /expected 4-byte input/)]),
    same('to_big_endian_32', [is('to_big_endian_32(-2)', bigEndian(-2n, 4)), is('to_big_endian_32(258)', bigEndian(258n, 4))]),
    same('from_big_endian_64', [is("from_big_endian_64(X'0000000000000102')", '258', 'bigint'), is("from_big_endian_64(X'FFFFFFFFFFFFFFFF')", '-1')]),
    same('to_big_endian_64', [
      is('to_big_endian_64(-2)', bigEndian(-2n, 8)),
      is("to_big_endian_64(BIGINT '9223372036854775807')", bigEndian(9223372036854775807n, 8)),
    ]),
    same('from_ieee754_32', [
      is(`from_ieee754_32(X'${floatBytes(1.5).replaceAll(' ', '')}')`, '1.5', 'real'),
      is("from_ieee754_32(X'C0490FDB')", realText(Math.fround(-3.1415927))),
    ]),
    same('to_ieee754_32', [is("to_ieee754_32(REAL '1.5')", floatBytes(1.5)), is("to_ieee754_32(REAL '-0.1')", floatBytes(-0.1))]),
    same('from_ieee754_64', [
      is(`from_ieee754_64(X'${doubleBytes(Math.PI).replaceAll(' ', '')}')`, String(Math.PI)),
      is(`from_ieee754_64(X'${doubleBytes(-2.5e-300).replaceAll(' ', '')}')`, '-2.5E-300'),
    ]),
    same('to_ieee754_64', [
      is('to_ieee754_64(pi())', doubleBytes(Math.PI)),
      is('to_ieee754_64(-0.1e0)', doubleBytes(-0.1)),
      is('to_ieee754_64(5e-324)', doubleBytes(5e-324)),
      is('to_ieee754_64(infinity())', doubleBytes(Infinity)),
    ]),
    same('crc32', [is("crc32(to_utf8('123456789'))", String(crc32(utf8('123456789'))), 'bigint'), is("crc32(to_utf8(''))", '0')]),
    // The hashes' answers are the standards' published test vectors (RFC 1321, FIPS 180-4, RFC 2202 and RFC 4231).
    same('md5', [is("md5(to_utf8('abc'))", hexBytes(bytesOfHex('900150983cd24fb0d6963f7d28e17f72')))]),
    same('sha1', [is("sha1(to_utf8('abc'))", hexBytes(bytesOfHex('a9993e364706816aba3e25717850c26c9cd0d89d')))]),
    same('sha256', [is("sha256(to_utf8('abc'))", hexBytes(bytesOfHex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')))]),
    refused('sha512', NO_HASH, 'sha256(x), or compare SHA-512 hashes outside the query'),
    refused('spooky_hash_v2_32', NO_HASH, 'md5(x) or sha256(x) where only a stable hash is needed'),
    refused('spooky_hash_v2_64', NO_HASH, 'md5(x) or sha256(x) where only a stable hash is needed'),
    refused('xxhash64', NO_HASH, 'md5(x) or sha256(x) where only a stable hash is needed'),
    refused('murmur3', NO_HASH, 'md5(x) or sha256(x) where only a stable hash is needed'),
    same('hmac_md5', [is("hmac_md5(to_utf8('what do ya want for nothing?'), to_utf8('Jefe'))", hexBytes(bytesOfHex('750c783e6ab0b503eaa86e310a5db738')))]),
    same('hmac_sha1', [
      is("hmac_sha1(to_utf8('what do ya want for nothing?'), to_utf8('Jefe'))", hexBytes(bytesOfHex('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'))),
    ]),
    same('hmac_sha256', [
      is(
        "hmac_sha256(to_utf8('what do ya want for nothing?'), to_utf8('Jefe'))",
        hexBytes(bytesOfHex('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')),
      ),
    ]),
    refused('hmac_sha512', NO_HASH, 'hmac_sha256(x, key)'),
    refused('zstd_compress', 'the local engine has no Zstandard codec in SQL', 'store or compare the data uncompressed'),
    refused('zstd_decompress', 'the local engine has no Zstandard codec in SQL', 'decompress the data outside the query'),
  ],
};

/** Bytes from hex digits. */
function bytesOfHex(hex: string): number[] {
  return (hex.match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16));
}

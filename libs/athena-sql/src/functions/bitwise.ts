import { fails, is, same, type ChapterTable } from './table';

/** The bits set in x as a `bits`-bit two's complement integer. */
const bitCount = (x: number, bits: number) => [...BigInt.asUintN(bits, BigInt(x)).toString(2)].filter((b) => b === '1').length;

export const BITWISE: ChapterTable = {
  chapter: 'bitwise',
  rows: [
    same('bit_count', [
      is('bit_count(9, 64)', String(bitCount(9, 64))),
      is('bit_count(9, 8)', String(bitCount(9, 8))),
      is('bit_count(-7, 64)', String(bitCount(-7, 64))),
      is('bit_count(-7, 8)', String(bitCount(-7, 8))),
      fails('bit_count(300, 8)', /Number must be representable with the bits specified/),
    ]),
    same('bitwise_and', [is('bitwise_and(19, 25)', '17', 'bigint')]),
    same('bitwise_not', [is('bitwise_not(-12)', '11'), is('bitwise_not(19)', '-20'), is('bitwise_not(25)', '-26')]),
    same('bitwise_or', [is('bitwise_or(19, 25)', '27')]),
    same('bitwise_xor', [is('bitwise_xor(19, 25)', '10')]),
    same('bitwise_left_shift', [
      is('bitwise_left_shift(1, 2)', '4'),
      is('bitwise_left_shift(5, 2)', '20'),
      is('bitwise_left_shift(20, 0)', '20'),
      is('bitwise_left_shift(0, 1)', '0'),
      is("bitwise_left_shift(BIGINT '1', 63)", String(BigInt.asIntN(64, 1n << 63n))),
      is("bitwise_left_shift(BIGINT '1', 64)", '0'),
    ]),
    same('bitwise_right_shift', [
      is('bitwise_right_shift(8, 3)', '1'),
      is('bitwise_right_shift(9, 1)', '4'),
      is('bitwise_right_shift(20, 0)', '20'),
      is('bitwise_right_shift(12, 64)', '0'),
      is('bitwise_right_shift(-45, 64)', '0'),
      is("bitwise_right_shift(BIGINT '-8', 1)", String(BigInt.asUintN(64, -8n) >> 1n)),
    ]),
    same('bitwise_right_shift_arithmetic', [
      is('bitwise_right_shift_arithmetic(12, 64)', '0'),
      is('bitwise_right_shift_arithmetic(-45, 64)', '-1'),
      is("bitwise_right_shift_arithmetic(BIGINT '-8', 1)", '-4'),
    ]),
  ],
};

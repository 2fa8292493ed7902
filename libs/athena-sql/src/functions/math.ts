import { doubleText } from '../values';
import { fails, is, refused, rows, same, type ChapterTable } from './table';

/** A double as Athena prints it, computed here (Java's double arithmetic is IEEE 754's, as JavaScript's). */
const d = (x: number) => doubleText(x);

/** Trino's round(double, d): Math.round of the scaled value, symmetric around zero (Java's Math.round is half up). */
const javaRound = (x: number, digits = 0) => {
  const factor = 10 ** digits;
  const half = (y: number) => (y - Math.floor(y) >= 0.5 ? Math.floor(y) + 1 : Math.floor(y));
  return x < 0 ? -(half(-x * factor) / factor) : half(x * factor) / factor;
};

/** What stays different for the functions Java's Math computes (exp, ln, sin …): the last digit, on some values. */
const TRANSCENDENTAL =
  'computed by the C library, as correctly rounded as Java’s Math: on some values the two may differ in the last digit (Java’s Math and StrictMath themselves may)';

const distributionReason =
  "Java's numerical library (Apache Commons Math) computes it with its own series; DuckDB has no such function and a local formula would differ in the last digits";

export const MATH: ChapterTable = {
  chapter: 'math',
  rows: [
    same('+', [is('2 + 3', '5', 'integer'), is('1.5 + 2.25', '3.75'), is('1e0 + 0.5e0', d(1.5)), fails('2147483647 + 1', /overflow/i)]),
    same('-', [is('2 - 3', '-1'), is('1.10 - 0.2', '0.90'), fails("BIGINT '-9223372036854775808' - 1", /overflow/i)]),
    same('*', [is('6 * 7', '42'), is('1.5 * 1.5', '2.25'), fails('2147483647 * 2', /overflow/i)]),
    same('/', [
      is('7 / 2', '3', 'integer'),
      is('-7 / 2', '-3'),
      is('7e0 / 2', d(3.5)),
      is('5 * 1.0 / 3', '1.7'),
      is('1 / 3.00', '0.33'),
      is('2.5 / 2', '1.3'),
      is('-2.5 / 2', '-1.3'),
      is('1e0 / 0', 'Infinity'),
      fails('1 / 0', /Division by zero/),
      fails('1.5 / 0', /Division by zero/),
    ]),
    same('%', [is('-7 % 2', '-1'), is('7 % -2', '1'), is('5.5 % 2.25', '1.00'), is('5.5e0 % 2', d(1.5)), fails('7 % 0', /Division by zero/)]),
    same('abs', [is('abs(-5)', '5'), is('abs(-2.50)', '2.50'), is('abs(-1.5e0)', d(1.5)), fails('abs(-2147483647 - 1)', /out of range|overflow/i)]),
    same('cbrt', [is('cbrt(27)', '3.0'), is('cbrt(-8.0)', '-2.0'), is('cbrt(2)', d(Math.cbrt(2)))], { note: TRANSCENDENTAL }),
    same('ceil', [is('ceil(1.2e0)', '2.0'), is('ceil(-1.5)', '-1'), is('ceil(7)', '7')]),
    same('ceiling', [is('ceiling(1.2e0)', '2.0'), is('ceiling(1.50)', '2')]),
    same('degrees', [is('degrees(1)', d(1 * (180 / Math.PI))), is('degrees(pi())', '180.0')]),
    same('e', [is('e()', d(Math.E))]),
    same('exp', [is('exp(0)', '1.0'), is('exp(1)', d(Math.E))]),
    same('floor', [is('floor(1.7e0)', '1.0'), is('floor(-1.5)', '-2'), is('floor(7)', '7')]),
    same('ln', [is('ln(1)', '0.0'), is('ln(10)', d(Math.log(10)))]),
    same('log', [is('log(2, 8)', d(Math.log(8) / Math.log(2))), is('log(10, 1000)', d(Math.log(1000) / Math.log(10))), is('log(2, 0)', '-Infinity')], {
      note: TRANSCENDENTAL,
    }),
    same('log2', [is('log2(8)', d(Math.log(8) / Math.log(2))), is('log2(1024)', d(Math.log(1024) / Math.log(2)))], { note: TRANSCENDENTAL }),
    same('log10', [is('log10(1000)', '3.0'), is('log10(2)', d(Math.log10(2)))]),
    same('mod', [is('mod(-5, 3)', '-2'), is('mod(5.5e0, 2)', d(1.5)), is('mod(7.50, 2)', '1.50'), fails('mod(5, 0)', /Division by zero/)]),
    same('pi', [is('pi()', d(Math.PI))]),
    same('pow', [is('pow(2, 10)', '1024.0'), is('pow(2, 0.5)', d(Math.SQRT2))]),
    same('power', [is('power(2, -1)', '0.5'), is('power(9, 0.5)', '3.0')]),
    same('radians', [is('radians(180)', d(180 * (Math.PI / 180))), is('radians(1)', d(Math.PI / 180))]),
    same('round', [
      is('round(2.5e0)', d(javaRound(2.5))),
      is('round(-2.5e0)', d(javaRound(-2.5))),
      is('round(2.675e0, 2)', d(javaRound(2.675, 2))),
      is('round(1.005e0, 2)', d(javaRound(1.005, 2))),
      is('round(2.5)', '3'),
      is('round(-2.5)', '-3'),
      is('round(1.25, 1)', '1.30'),
      is('round(1.249, 2)', '1.250'),
      is('round(15, -1)', '20'),
      is('round(-15, -1)', '-20'),
      is('round(7)', '7'),
    ]),
    same('sign', [is('sign(-2.5e0)', '-1.0'), is('sign(-0.0e0)', '-0.0'), is('sign(nan())', 'NaN'), is('sign(-7)', '-1', 'integer'), is('sign(2.50)', '1')]),
    same('sqrt', [is('sqrt(16)', '4.0'), is('sqrt(2)', d(Math.SQRT2)), is('sqrt(-1)', 'NaN')]),
    same('truncate', [is('truncate(-1.7e0)', '-1.0'), is('truncate(2.9e0)', '2.0'), is('truncate(-1.75)', '-1')]),
    same('truncate', [is('truncate(1.279, 2)', '1.270'), is('truncate(-1.279, 1)', '-1.200'), is('truncate(1.279e0, 1)', d(1.2))], { form: 'truncate(x, d)' }),
    same('width_bucket', [
      is('width_bucket(5.3e0, 0.2e0, 10.6e0, 5)', String(Math.trunc((5 * (5.3 - 0.2)) / (10.6 - 0.2) + 1))),
      is('width_bucket(-1, 0, 10, 5)', '0'),
      is('width_bucket(10, 0, 10, 5)', '6'),
      is('width_bucket(2, 10, 0, 5)', String(5 - Math.trunc((5 * (2 - 0)) / 10 + 1) + 1)),
      fails('width_bucket(1, 0, 0, 5)', /bounds cannot equal each other/),
    ]),
    same(
      'width_bucket',
      [is('width_bucket(3.5e0, ARRAY[1e0, 2e0, 3e0, 4e0])', '3'), is('width_bucket(0e0, ARRAY[1e0, 2e0])', '0'), is('width_bucket(9e0, ARRAY[1e0, 2e0])', '2')],
      {
        form: 'width_bucket(x, bins)',
      },
    ),
    same('rand', [is('rand() >= 0 AND rand() < 1', 'true'), is('typeof(rand())', 'double')]),
    same('random', [
      rows('SELECT min(r) >= 0 AND max(r) < 1 FROM (SELECT random() AS r FROM UNNEST(sequence(1, 200)) AS t(i))', [['true']]),
      rows('SELECT min(r) >= 0 AND max(r) < 10 AND count(DISTINCT r) > 1 FROM (SELECT random(10) AS r FROM UNNEST(sequence(1, 200)) AS t(i))', [['true']]),
      rows('SELECT min(r) >= 5 AND max(r) < 8 FROM (SELECT random(5, 8) AS r FROM UNNEST(sequence(1, 200)) AS t(i))', [['true']]),
      is('typeof(random(10))', 'integer'),
      fails('random(0)', /bound must be positive/),
    ]),
    same('acos', [is('acos(0.5)', d(Math.acos(0.5))), is('acos(1)', '0.0')]),
    same('asin', [is('asin(0.5)', d(Math.asin(0.5))), is('asin(2)', 'NaN')]),
    same('atan', [is('atan(1)', d(Math.atan(1)))]),
    same('atan2', [is('atan2(1, 2)', d(Math.atan2(1, 2))), is('atan2(0, -1)', d(Math.PI))]),
    same('cos', [is('cos(0)', '1.0'), is('cos(1)', d(Math.cos(1)))]),
    same('cosh', [is('cosh(1)', d(Math.cosh(1)))]),
    same('sin', [is('sin(0)', '0.0'), is('sin(1)', d(Math.sin(1)))]),
    same('sinh', [is('sinh(1)', d(Math.sinh(1)))]),
    same('tan', [is('tan(1)', d(Math.tan(1)))]),
    same('tanh', [is('tanh(0.5)', d(Math.tanh(0.5)))]),
    same('cosine_distance', [is('cosine_distance(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])', '0.01613008990009257')]),
    same('cosine_distance', [is("cosine_distance(MAP(ARRAY['a'], ARRAY[1.0]), MAP(ARRAY['a'], ARRAY[2.0]))", '0.0')], { form: 'cosine_distance(map, map)' }),
    same('cosine_similarity', [is('cosine_similarity(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])', '0.9838699100999074')]),
    same(
      'cosine_similarity',
      [
        is("cosine_similarity(MAP(ARRAY['a'], ARRAY[1.0]), MAP(ARRAY['a'], ARRAY[2.0]))", '1.0'),
        is("cosine_similarity(MAP(ARRAY['a', 'b'], ARRAY[1.0, 2.0]), MAP(ARRAY['b', 'c'], ARRAY[3.0, 4.0]))", d(6 / (Math.sqrt(5) * Math.sqrt(25)))),
      ],
      { form: 'cosine_similarity(map, map)' },
    ),
    same('infinity', [is('infinity()', 'Infinity'), is('-infinity()', '-Infinity')]),
    same('is_finite', [is('is_finite(1e0)', 'true'), is('is_finite(infinity())', 'false'), is('is_finite(nan())', 'false')]),
    same('is_infinite', [is('is_infinite(-infinity())', 'true'), is('is_infinite(1)', 'false')]),
    same('is_nan', [is('is_nan(nan())', 'true'), is('is_nan(0e0 / 0)', 'true'), is('is_nan(1)', 'false')]),
    same('nan', [is('nan()', 'NaN')]),
    same('from_base', [
      is("from_base('ff', 16)", '255'),
      is("from_base('-101', 2)", '-5'),
      is("from_base('zz', 36)", '1295'),
      fails("from_base('12', 2)", /Not a valid base-2 number/),
    ]),
    same('to_base', [
      is('to_base(255, 16)', 'ff'),
      is('to_base(-5, 2)', '-101'),
      is('to_base(1295, 36)', 'zz'),
      fails('to_base(5, 37)', /Radix must be between 2 and 36/),
    ]),
    same('wilson_interval_lower', [is('wilson_interval_lower(1250, 1310, 1.96e0)', d(wilson(1250, 1310, 1.96, -1)))]),
    same('wilson_interval_upper', [is('wilson_interval_upper(1250, 1310, 1.96e0)', d(wilson(1250, 1310, 1.96, 1)))]),
    refused('beta_cdf', distributionReason, 'compute it outside the query, or from a table of values'),
    refused('inverse_beta_cdf', distributionReason, 'compute it outside the query, or from a table of values'),
    refused('normal_cdf', distributionReason, 'compute it outside the query, or from a table of values'),
    refused('inverse_normal_cdf', distributionReason, 'compute it outside the query, or from a table of values'),
    refused('t_cdf', distributionReason, 'compute it outside the query, or from a table of values'),
    refused('t_pdf', distributionReason, 'compute it outside the query, or from a table of values'),
  ],
};

/** The Wilson score interval's bound, as Trino computes it (sign -1 lower, +1 upper). */
function wilson(successes: number, trials: number, z: number, sign: number): number {
  const p = successes / trials;
  const center = p + (z * z) / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  return (center + sign * spread) / (1 + (z * z) / trials);
}

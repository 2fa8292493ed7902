import { doubleText } from '../values';
import { fails, refused, rows, same, type ChapterTable, type Check } from './table';

const d = (x: number) => doubleText(x);

/** `SELECT <aggregate> FROM (VALUES …) AS t(x)`: one aggregate over one column of values. */
const over = (aggregate: string, values: readonly (string | number | null)[], expected: string | null): Check =>
  rows(`SELECT ${aggregate} FROM (VALUES ${values.map((v) => `(${v === null ? 'CAST(NULL AS integer)' : v})`).join(', ')}) AS t(x)`, [[expected]]);

/** Two columns, x and y. */
const over2 = (aggregate: string, pairs: ReadonlyArray<readonly [string | number | null, string | number | null]>, expected: string | null): Check =>
  rows(`SELECT ${aggregate} FROM (VALUES ${pairs.map(([x, y]) => `(${x ?? 'NULL'}, ${y ?? 'NULL'})`).join(', ')}) AS t(x, y)`, [[expected]]);

const XS = [1, 2, 3, 4, 10];

/** Trino's central moments of values (its running update, in the values' order): n, m2, m3, m4. */
function moments(xs: readonly number[]) {
  let [n, m1, m2, m3, m4] = [0, 0, 0, 0, 0];
  for (const x of xs) {
    const n1 = n;
    n += 1;
    const delta = x - m1;
    const deltaN = delta / n;
    const deltaN2 = deltaN * deltaN;
    const term1 = delta * deltaN * n1;
    m1 += deltaN;
    m4 += term1 * deltaN2 * (n * n - 3 * n + 3) + 6 * deltaN2 * m2 - 4 * deltaN * m3;
    m3 += term1 * deltaN * (n - 2) - 3 * deltaN * m2;
    m2 += term1;
  }
  return { n, m2, m3, m4 };
}
const skewness = (xs: readonly number[]) => {
  const { n, m2, m3 } = moments(xs);
  return (Math.sqrt(n) * m3) / Math.pow(m2, 1.5);
};
const kurtosis = (xs: readonly number[]) => {
  const { n, m2, m4 } = moments(xs);
  return ((((n - 1) * n * (n + 1)) / ((n - 2) * (n - 3))) * m4) / (m2 * m2) - (3 * ((n - 1) * (n - 1))) / ((n - 2) * (n - 3));
};

const APPROX = 'exact locally: an answer within the approximation Athena documents';

export const AGGREGATE: ChapterTable = {
  chapter: 'aggregate',
  rows: [
    same('any_value', [over('any_value(x)', [null, 5, null], '5')]),
    same('arbitrary', [over('arbitrary(x)', [null, 5, null], '5')]),
    same('array_agg', [
      over('array_agg(x ORDER BY x DESC)', [2, null, 3], '[3, 2, NULL]'),
      over('array_agg(x) FILTER (WHERE x IS NOT NULL)', [null, 7], '[7]'),
    ]),
    same(
      'avg',
      [over('avg(x)', [1, 2, 4], d(7 / 3)), over('avg(x)', [null, null], null), over('avg(x)', ["INTERVAL '2' DAY", "INTERVAL '4' DAY"], '3 00:00:00.000')],
      {
        note: 'avg of a decimal is refused at run time (Athena averages it as a decimal of its scale): write avg(CAST(x AS DOUBLE)), or sum(x) / count(x)',
      },
    ),
    same('bool_and', [over('bool_and(x)', ['true', 'false'], 'false'), over('bool_and(x)', ['true', 'NULL'], 'true')]),
    same('bool_or', [over('bool_or(x)', ['false', 'true'], 'true')]),
    refused(
      'checksum',
      'Athena hashes each value with its own xxHash64 of its internal encoding; no local hash gives the same bytes',
      'compare count(*) and sum(…) of the columns, or run both queries on Athena',
    ),
    same('count', [
      over('count(*)', [1, null, 3], '3'),
      over('count(x)', [1, null, 3], '2'),
      over('count(DISTINCT x)', [1, 1, 3], '2'),
      // Grouping sets, cube and rollup: a row per set, NULL for the columns a set leaves out.
      rows("SELECT g, count(*) FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) AS t(g, x) GROUP BY GROUPING SETS ((g), ())", [
        ['a', '2'],
        ['b', '1'],
        [null, '3'],
      ]),
      rows("SELECT g, x, count(*) FROM (VALUES ('a', 1), ('b', 2)) AS t(g, x) GROUP BY ROLLUP (g, x)", [
        ['a', '1', '1'],
        ['a', null, '1'],
        ['b', '2', '1'],
        ['b', null, '1'],
        [null, null, '2'],
      ]),
      rows("SELECT g, grouping(g), count(*) FROM (VALUES ('a', 1), ('b', 2)) AS t(g, x) GROUP BY CUBE (g)", [
        ['a', '0', '1'],
        ['b', '0', '1'],
        [null, '1', '2'],
      ]),
    ]),
    same('count_if', [over('count_if(x > 1)', [1, 2, 3, null], '2')]),
    same('every', [over('every(x)', ['true', 'true'], 'true')]),
    same('geometric_mean', [over('geometric_mean(x)', [2, 8], d(Math.exp((Math.log(2) + Math.log(8)) / 2)))]),
    same('listagg', [
      rows("SELECT listagg(value, ',') WITHIN GROUP (ORDER BY value) csv_value FROM (VALUES 'a', 'c', 'b') t(value)", [['a,b,c']]),
      rows(
        "SELECT id, listagg(value, ',') WITHIN GROUP (ORDER BY o) csv_value FROM (VALUES (100, 1, 'a'), (200, 3, 'c'), (200, 2, 'b')) t(id, o, value) GROUP BY id",
        [
          ['100', 'a'],
          ['200', 'b,c'],
        ],
      ),
      rows(
        "SELECT country, listagg(city, ',') WITHIN GROUP (ORDER BY population DESC) FILTER (WHERE population >= 10000000) megacities FROM (VALUES ('India', 'Bangalore', 13700000), ('India', 'Chennai', 12200000), ('India', 'Ranchi', 1547000), ('Austria', 'Vienna', 1897000), ('Poland', 'Warsaw', 1765000)) t(country, city, population) GROUP BY country",
        [
          ['Austria', null],
          ['India', 'Bangalore,Chennai'],
          ['Poland', null],
        ],
      ),
      rows("SELECT listagg(value) WITHIN GROUP (ORDER BY value) FROM (VALUES 'a', 'b') t(value)", [['ab']]),
    ]),
    same('max', [over('max(x)', [1, 3, 2], '3'), over('max(x, 2)', [1, 3, 2], '[3, 2]')]),
    same('max_by', [
      over2(
        'max_by(x, y)',
        [
          [1, 2],
          [2, 5],
          [3, 4],
        ],
        '2',
      ),
      over2(
        'max_by(x, y, 2)',
        [
          [1, 2],
          [2, 5],
          [3, 4],
        ],
        '[2, 3]',
      ),
      over2(
        'max_by(x, y)',
        [
          [null, 5],
          [1, 2],
        ],
        null,
      ),
    ]),
    same('min', [over('min(x)', [2, 1, 3], '1'), over('min(x, 2)', [2, 1, 3], '[1, 2]')]),
    same('min_by', [
      over2(
        'min_by(x, y)',
        [
          [1, 2],
          [2, 1],
        ],
        '2',
      ),
      over2(
        'min_by(x, y, 2)',
        [
          [1, 2],
          [2, 1],
          [3, 3],
        ],
        '[2, 1]',
      ),
    ]),
    same('sum', [
      over('sum(x)', [1, 2, null], '3'),
      over('sum(x)', [null], null),
      over('sum(x)', ['1.5', '2.25'], '3.75'),
      fails("SELECT sum(x) FROM (VALUES BIGINT '9223372036854775807', BIGINT '1') AS t(x)", /out of range|overflow/i),
    ]),
    same('bitwise_and_agg', [over('bitwise_and_agg(x)', [7, 12], '4')]),
    same('bitwise_or_agg', [over('bitwise_or_agg(x)', [1, 4], '5')]),
    same('bitwise_xor_agg', [over('bitwise_xor_agg(x)', [7, 12], '11')]),
    same('histogram', [over('histogram(x)', ["'a'", "'b'", "'b'", 'NULL'], '{a=1, b=2}')], {
      note: "the entries' order is the keys'; Athena's follows the rows' order, which a distributed engine does not fix",
    }),
    same('map_agg', [
      over2(
        'map_agg(x, y)',
        [
          ["'a'", 1],
          ["'b'", 2],
          [null, 3],
        ],
        '{a=1, b=2}',
      ),
    ]),
    same('map_union', [over('map_union(x)', ["MAP(ARRAY['a'], ARRAY[1])", "MAP(ARRAY['b'], ARRAY[2])"], '{a=1, b=2}')]),
    same('multimap_agg', [
      over2(
        'multimap_agg(x, y)',
        [
          ["'a'", 1],
          ["'b'", 2],
          ["'a'", 3],
        ],
        '{a=[1, 3], b=[2]}',
      ),
    ]),
    same(
      'approx_distinct',
      [over('approx_distinct(x)', [1, 1, 2, null], '2'), over('approx_distinct(x)', [null], '0'), over('approx_distinct(x, 0.01)', [1, 2], '2')],
      { note: APPROX },
    ),
    same('approx_most_frequent', [over('approx_most_frequent(2, x, 10)', [1, 2, 2, 3, 3, 3], '{3=3, 2=2}')], { note: APPROX }),
    same(
      'approx_percentile',
      [over('approx_percentile(x, 0.5)', [1, 2, 3, 4, 5], '3'), over('approx_percentile(x, ARRAY[0.2, 0.8])', [1, 2, 3, 4, 5], '[1, 4]')],
      { note: APPROX },
    ),
    refused(
      'approx_percentile',
      "Athena's weights replicate the values in its digest; DuckDB has no weighted quantile",
      'approx_percentile over the rows repeated, or compute the cumulative weight with a window',
      { form: 'approx_percentile(x, w, percentage)', sql: 'SELECT approx_percentile(x, w, 0.5) FROM (VALUES (1, 1)) AS t(x, w)' },
    ),
    same('numeric_histogram', [over('numeric_histogram(10, x)', [1, 2, 2], '{1.0=1.0, 2.0=2.0}')], {
      note: 'exact while there are no more distinct values than buckets; beyond, refused at run time (Athena merges buckets by its own algorithm)',
    }),
    same('corr', [
      over2(
        'corr(y, x)',
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        '1.0',
      ),
    ]),
    same('covar_pop', [
      over2(
        'covar_pop(y, x)',
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        d(4 / 3),
      ),
    ]),
    same('covar_samp', [
      over2(
        'covar_samp(y, x)',
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        '2.0',
      ),
    ]),
    same('kurtosis', [over('kurtosis(x)', XS, d(kurtosis(XS))), over('kurtosis(x)', [1, 2, 3], null)]),
    same('regr_intercept', [
      over2(
        'regr_intercept(y, x)',
        [
          [1, 3],
          [2, 5],
          [3, 7],
        ],
        '1.0',
      ),
    ]),
    same('regr_slope', [
      over2(
        'regr_slope(y, x)',
        [
          [1, 3],
          [2, 5],
          [3, 7],
        ],
        '2.0',
      ),
    ]),
    same('skewness', [over('skewness(x)', XS, d(skewness(XS))), over('skewness(x)', [1, 2], null)]),
    same('stddev', [over('stddev(x)', [2, 4, 4, 4, 5, 5, 7, 9], d(Math.sqrt(32 / 7)))]),
    same('stddev_pop', [over('stddev_pop(x)', [2, 4, 4, 4, 5, 5, 7, 9], '2.0')]),
    same('stddev_samp', [over('stddev_samp(x)', [1, 2, 3, 4], d(Math.sqrt(5 / 3)))]),
    same('variance', [over('variance(x)', [1, 2, 3, 4], d(5 / 3))]),
    same('var_pop', [over('var_pop(x)', [1, 2, 3, 4, 10], '10.0')]),
    same('var_samp', [over('var_samp(x)', [1, 2, 3, 4, 10], '12.5')]),
    same('reduce_agg', [
      rows(
        'SELECT id, reduce_agg(value, 0, (a, b) -> a + b, (a, b) -> a + b) FROM (VALUES (1, 3), (1, 4), (1, 5), (2, 6), (2, 7)) AS t(id, value) GROUP BY id',
        [
          ['1', '12'],
          ['2', '13'],
        ],
      ),
      rows(
        'SELECT id, reduce_agg(value, 1, (a, b) -> a * b, (a, b) -> a * b) FROM (VALUES (1, 3), (1, 4), (1, 5), (2, 6), (2, 7)) AS t(id, value) GROUP BY id',
        [
          ['1', '60'],
          ['2', '42'],
        ],
      ),
    ]),
  ],
};

import { fails, rows, same, type ChapterTable } from './table';

/** Six rows, x with a tie, in two partitions. */
const T = "(VALUES ('a', 1), ('a', 2), ('a', 2), ('a', 4), ('b', 5), ('b', NULL)) AS t(p, x)";
const ranked = (fn: string, values: ReadonlyArray<string | null>) =>
  rows(
    `SELECT x, ${fn} OVER (PARTITION BY p ORDER BY x) FROM ${T} WHERE p = 'a' ORDER BY x`,
    [
      ['1', values[0] ?? null],
      ['2', values[1] ?? null],
      ['2', values[2] ?? null],
      ['4', values[3] ?? null],
    ],
    true,
  );

export const WINDOW: ChapterTable = {
  chapter: 'window',
  rows: [
    same('cume_dist', [ranked('cume_dist()', ['0.25', '0.75', '0.75', '1.0'])]),
    same('dense_rank', [ranked('dense_rank()', ['1', '2', '2', '3'])]),
    same('ntile', [
      rows(
        'SELECT x, ntile(4) OVER (ORDER BY x) FROM (VALUES 1, 2, 3, 4, 5, 6) AS t(x) ORDER BY x',
        [
          ['1', '1'],
          ['2', '1'],
          ['3', '2'],
          ['4', '2'],
          ['5', '3'],
          ['6', '4'],
        ],
        true,
      ),
    ]),
    same('percent_rank', [ranked('percent_rank()', ['0.0', String(1 / 3), String(1 / 3), '1.0'])]),
    same('rank', [ranked('rank()', ['1', '2', '2', '4'])]),
    same('row_number', [
      rows(`SELECT count(DISTINCT r), max(r) FROM (SELECT row_number() OVER (PARTITION BY p ORDER BY x) AS r FROM ${T} WHERE p = 'a')`, [['4', '4']]),
    ]),
    same('first_value', [
      ranked('first_value(x)', ['1', '1', '1', '1']),
      rows(`SELECT first_value(x) IGNORE NULLS OVER (ORDER BY x DESC NULLS FIRST) FROM ${T} WHERE p = 'b'`, [['5'], [null]]),
    ]),
    same('last_value', [ranked('last_value(x)', ['1', '2', '2', '4'])]),
    same('nth_value', [
      ranked('nth_value(x, 2)', [null, '2', '2', '2']),
      fails(`SELECT nth_value(x, 0) OVER (ORDER BY x) FROM ${T}`, /Offset must be at least 1/),
    ]),
    same('lead', [
      rows(
        'SELECT x, lead(x) OVER (ORDER BY x), lead(x, 2, 0) OVER (ORDER BY x) FROM (VALUES 1, 2, 3) AS t(x) ORDER BY x',
        [
          ['1', '2', '3'],
          ['2', '3', '0'],
          ['3', null, '0'],
        ],
        true,
      ),
    ]),
    same('lag', [
      rows(
        'SELECT x, lag(x) OVER (ORDER BY x), lag(x, 1, -1) OVER (ORDER BY x) FROM (VALUES 1, 2, 3) AS t(x) ORDER BY x',
        [
          ['1', null, '-1'],
          ['2', '1', '1'],
          ['3', '2', '2'],
        ],
        true,
      ),
    ]),
    same(
      'aggregate OVER',
      [
        rows(
          `SELECT x, sum(x) OVER (PARTITION BY p ORDER BY x) FROM ${T} WHERE p = 'a' ORDER BY x`,
          [
            ['1', '1'],
            ['2', '5'],
            ['2', '5'],
            ['4', '9'],
          ],
          true,
        ),
        rows(
          `SELECT x, avg(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM ${T} WHERE p = 'a' ORDER BY x`,
          [
            ['1', '1.0'],
            ['2', '1.5'],
            ['2', '2.0'],
            ['4', '3.0'],
          ],
          true,
        ),
        rows(`SELECT x, count_if(x > 1) OVER (), arbitrary(p) OVER (), max_by(x, x) OVER () FROM ${T} WHERE p = 'a' AND x = 4`, [['4', '1', 'a', '4']]),
      ],
      { form: 'aggregate functions over a window' },
    ),
  ],
};

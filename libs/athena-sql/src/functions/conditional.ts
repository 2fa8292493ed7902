import { fails, is, rows, same, type ChapterTable } from './table';

const SHIPPING =
  "(VALUES ('California', '94131', 25, 100), ('California', 'P332a', 5, 72), ('California', '94025', 0, 155), ('New Jersey', '08544', 225, 490)) AS shipping(origin_state, origin_zip, packages, total_cost)";

export const CONDITIONAL: ChapterTable = {
  chapter: 'conditional',
  rows: [
    same('CASE', [
      rows("SELECT a, CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END FROM (VALUES 1, 2, 3) AS t(a)", [
        ['1', 'one'],
        ['2', 'two'],
        ['3', 'many'],
      ]),
      rows("SELECT a, b, CASE WHEN a = 1 THEN 'aaa' WHEN b = 2 THEN 'bbb' ELSE 'ccc' END FROM (VALUES (1, 2), (3, 2), (3, 3)) AS t(a, b)", [
        ['1', '2', 'aaa'],
        ['3', '2', 'bbb'],
        ['3', '3', 'ccc'],
      ]),
      is("CASE 5 WHEN 1 THEN 'one' END", null),
    ]),
    same('IF', [is("IF(1 > 0, 'High Value', 'Low Value')", 'High Value'), is("IF(1 < 0, 'x')", null), is('IF(NULL, 1, 2)', '2')]),
    same('COALESCE', [is('COALESCE(NULL, 2, 3)', '2'), is('COALESCE(NULL, NULL)', null), is('COALESCE(1, 1 / 0)', '1')]),
    same('NULLIF', [is('NULLIF(1, 1)', null), is('NULLIF(1, 2)', '1')]),
    same('TRY', [
      rows(`SELECT TRY(CAST(origin_zip AS BIGINT)) FROM ${SHIPPING}`, [['94131'], [null], ['94025'], ['8544']]),
      fails(`SELECT CAST(origin_zip AS BIGINT) FROM ${SHIPPING}`, /P332a/),
      fails(`SELECT total_cost / packages AS per_package FROM ${SHIPPING}`, /Division by zero/),
      rows(`SELECT COALESCE(TRY(total_cost / packages), 0) AS per_package FROM ${SHIPPING}`, [['4'], ['14'], ['0'], ['2']]),
      is('TRY(ARRAY[1, 2][3])', null),
      is("TRY(from_base('12', 2))", null),
    ]),
  ],
};

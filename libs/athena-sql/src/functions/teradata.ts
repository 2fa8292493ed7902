import { is, same, type ChapterTable } from './table';

/** UTF-16 code units as hex digits (Java's String is UTF-16). */
const utf16Hex = (text: string) =>
  [...text]
    .flatMap((c) => (c.length === 2 ? [c.charCodeAt(0), c.charCodeAt(1)] : [c.charCodeAt(0)]))
    .map((u) => u.toString(16).toUpperCase().padStart(4, '0'))
    .join('');

export const TERADATA: ChapterTable = {
  chapter: 'Teradata',
  rows: [
    same('char2hexint', [is("char2hexint('ABC')", utf16Hex('ABC')), is("char2hexint('é😀')", utf16Hex('é😀'))]),
    same('index', [is("index('abcabc', 'c')", '3'), is("index('abc', 'x')", '0')]),
    same('to_char', [
      is("to_char(TIMESTAMP '2022-10-20 05:10:07', 'yyyy-mm-dd hh24:mi:ss')", '2022-10-20 05:10:07'),
      is("to_char(TIMESTAMP '2022-10-20 17:10:07', 'yy/mm/dd hh')", '22/10/20 05'),
    ]),
    same('to_timestamp', [is("to_timestamp('2022-10-20 05:10:07', 'yyyy-mm-dd hh24:mi:ss')", '2022-10-20 05:10:07.000', 'timestamp(3)')]),
    same('to_date', [is("to_date('2022/10/20', 'yyyy/mm/dd')", '2022-10-20', 'date')]),
  ],
};

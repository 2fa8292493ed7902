import { fails, is, same, type ChapterTable } from './table';

const SENTENCE = "'I have 23 apples, 5 pears and 13 oranges'";

export const REGEXP: ChapterTable = {
  chapter: 'regular expression',
  rows: [
    same('regexp_count', [is("regexp_count('1a 2b 14m', '\\s*[a-z]+\\s*')", '3')]),
    same('regexp_extract_all', [
      is("regexp_extract_all('1a 2b 14m', '\\d+')", '[1, 2, 14]'),
      is("regexp_extract_all('1a 2b 14m', '(\\d+)([a-z]+)', 2)", '[a, b, m]'),
    ]),
    same('regexp_extract', [
      is("regexp_extract('1a 2b 14m', '\\d+')", '1'),
      is("regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2)", 'a'),
      is("regexp_extract('abc', '\\d+')", null),
      fails("regexp_extract('1a', '(\\d+)', 2)", /Pattern has 1 groups. Cannot access group 2/),
    ]),
    same('regexp_like', [
      is("regexp_like('1a 2b 14m', '\\d+b')", 'true'),
      is("regexp_like('an example.', '\\bexample\\b')", 'true'),
      is("regexp_like('a.b', 'a\\\\.b')", 'false'),
      is("regexp_like('a\\.b', 'a\\\\.b')", 'true'),
      is("regexp_like('abc', '^b')", 'false'),
    ]),
    same('regexp_position', [
      is(`regexp_position(${SENTENCE}, '\\b\\d+\\b')`, '8', 'integer'),
      is(`regexp_position(${SENTENCE}, '\\b\\d+\\b', 5)`, '8'),
      is(`regexp_position(${SENTENCE}, '\\b\\d+\\b', 12)`, '19'),
      is(`regexp_position(${SENTENCE}, '\\b\\d+\\b', 12, 1)`, '19'),
      is(`regexp_position(${SENTENCE}, '\\b\\d+\\b', 12, 2)`, '31'),
      is(`regexp_position(${SENTENCE}, '\\b\\d+\\b', 12, 3)`, '-1'),
    ]),
    same('regexp_replace', [
      is("regexp_replace('1a 2b 14m', '\\d+[ab] ')", '14m'),
      is("regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')", '3ca 3cb 14m'),
      is("regexp_replace('a.b', '\\.', '\\$')", 'a$b'),
      is("regexp_replace('a.b', '\\.', '\\\\')", 'a\\b'),
    ]),
    same(
      'regexp_replace',
      [
        is("regexp_replace('new york', '(\\w)(\\w*)', x -> upper(x[1]) || lower(x[2]))", 'New York'),
        is("regexp_replace('once upon a time ...', '^(\\w)(\\w*)(\\s+.*)$', x -> upper(x[1]) || x[2] || x[3])", 'Once upon a time ...'),
      ],
      {
        form: 'regexp_replace(string, pattern, function)',
      },
    ),
    same('regexp_split', [is("regexp_split('1a 2b 14m', '\\s*[a-z]+\\s*')", '[1, 2, 14, ]')]),
  ],
};

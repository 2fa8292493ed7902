import { fails, is, refused, refuses, rows, same, type ChapterTable } from './table';

/** The forms the table refuses, by their rows' names. */
export const QUERY_OPTIONS = 'json_query with ON ERROR other than NULL, a conditional array wrapper, or OMIT QUOTES with a wrapper';
export const VALUE_OPTIONS = 'json_value with ON ERROR other than NULL';
export const constructorOptions = (name: string) => `${name} with RETURNING, FORMAT JSON or WITH UNIQUE KEYS`;

/** Trino's documentation's customers table (json_exists, json_query, json_value). */
const CUSTOMERS = `(VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'), (102, '{"comment" : "problematic", "children" : [8, 11]}'),
  (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)`;

/** Trino's documentation's JSONPath examples' document. */
const STORE = `'{"store": {"book": [{"author": "Nigel Rees", "title": "Sayings"}, {"author": "Evelyn Waugh", "title": "Sword"}], "book name": 3}}'`;

const SQL_JSON_FORMS = (name: string) =>
  refused(
    name,
    'the local engine follows simple paths ($.a, $.a[0], $[last]) only',
    `json_extract(j, '$.a[0]'), json_extract_scalar, or a lambda over CAST(json_parse(j) AS ARRAY(JSON))`,
    {
      form: `${name} with wildcards, filters, item methods or arithmetic in the path`,
      sql: `${name}('[1, 2]', 'lax $[*]?(@ > 1)')`,
    },
  );

export const JSON_FUNCTIONS: ChapterTable = {
  chapter: 'JSON',
  rows: [
    same('is_json_scalar', [is("is_json_scalar('1')", 'true'), is("is_json_scalar('[1, 2, 3]')", 'false'), fails("is_json_scalar('{')", /Invalid JSON value/)]),
    same('json_array_contains', [
      is("json_array_contains('[1, 2, 3]', 2)", 'true'),
      is('json_array_contains(\'[1, 2.0, "2"]\', 2)', 'false'),
      is('json_array_contains(\'["a", "b"]\', \'b\')', 'true'),
      is("json_array_contains('[true]', true)", 'true'),
      is("json_array_contains('[1.5]', 1.5e0)", 'true'),
      is('json_array_contains(\'{"a": 1}\', 1)', null),
    ]),
    same('json_array_get', [
      is(`json_array_get('["a", [3, 9], "c"]', 0)`, 'a'),
      is(`json_array_get('["a", [3, 9], "c"]', 1)`, '[3,9]'),
      is(`json_array_get('["c", [3, 9], "a"]', -1)`, 'a'),
      is(`json_array_get('["c", [3, 9], "a"]', -2)`, '[3,9]'),
      is("json_array_get('[]', 0)", null),
      is(`json_array_get('["a", "b", "c"]', 10)`, null),
      is(`json_array_get('["c", "b", "a"]', -10)`, null),
    ]),
    same('json_array_length', [
      is("json_array_length('[1, 2, 3]')", '3', 'bigint'),
      is('json_array_length(\'{"a": 1}\')', null),
      is("json_array_length('[1,')", null),
    ]),
    same('json_extract', [
      is(`json_extract(${STORE}, '$.store.book[1].title')`, '"Sword"'),
      is(`json_extract(${STORE}, '$.store[book][0]')`, '{"author":"Nigel Rees","title":"Sayings"}'),
      is(`json_extract(${STORE}, '$.store["book name"]')`, '3'),
      is(`json_extract(${STORE}, '$.store.missing')`, null),
      is(`json_extract('{"a": 1e10, "b": [0.5]}', '$')`, '{"a":1.0E10,"b":[0.5]}'),
      is(`json_extract('{"a": null}', '$.a')`, 'null'),
      is(`json_extract('{not json', '$.a')`, null),
      is(String.raw`json_extract('{"a\\b": 1, "c": "x\ty"}', '$.c')`, String.raw`"x\ty"`),
    ]),
    refused('json_extract', "DuckDB's paths have no such syntax", "json_extract(j, '$.a') with a plain key, then json_extract_scalar", {
      form: 'json_extract with a path other than $.a, $["a"] and $[0]',
      sql: String.raw`json_extract('{"a\\b": 1}', '$["a\\b"]')`,
    }),
    same(
      'json_extract_scalar',
      [
        is("json_extract_scalar('[1, 2, 3]', '$[2]')", '3'),
        is(`json_extract_scalar(${STORE}, '$.store.book[0].author')`, 'Nigel Rees'),
        is(`json_extract_scalar(${STORE}, '$.store.book')`, null),
        is(`json_extract_scalar('{"a": 1.5, "b": true, "c": null}', '$.a')`, '1.5'),
        is(`json_extract_scalar('{"a": 1.5, "b": true, "c": null}', '$.b')`, 'true'),
        is(`json_extract_scalar('{"a": 1.5, "b": true, "c": null}', '$.c')`, null),
        is(`json_extract_scalar(json_parse('{"a": 1e10}'), '$.a')`, '1.0E10'),
        is(String.raw`json_extract_scalar('{"p": "C:\\temp"}', '$.p')`, String.raw`C:\temp`),
      ],
      { note: 'a number written as 1.50, 1e2 or with 16 digits or more in the text is refused at run time (Athena gives it as written)' },
    ),
    same(
      'json_format',
      [
        is("json_format(JSON '[1, 2, 3]')", '[1,2,3]'),
        is(`json_format(JSON '"a"')`, '"a"'),
        is(`json_format(JSON '{"a": 1, "b": 2}')`, '{"a":1,"b":2}'),
        is("json_format(JSON '42')", '42'),
        is("json_format(JSON 'true')", 'true'),
        is("json_format(JSON 'null')", 'null'),
      ],
      { note: 'a number below 0.001 or from 10000000 up is refused at run time (Athena writes 1.0E7)' },
    ),
    same(
      'json_parse',
      [
        is("json_parse('[1, 2, 3]')", '[1,2,3]'),
        is(`json_parse('"abc"')`, '"abc"'),
        is("json_parse('42')", '42'),
        fails("json_parse('not_json')", /Cannot convert 'not_json' to JSON/),
        // Athena writes a parsed object with its keys sorted (Jackson's ORDER_MAP_ENTRIES_BY_KEYS), at every level.
        is(`json_parse('{"b": 1, "a": [{"d": 2, "c": 3}]}')`, '{"a":[{"c":3,"d":2}],"b":1}'),
        is(`JSON '{"b": 1, "a": 2}'`, '{"a":2,"b":1}'),
        rows(`SELECT json_parse(s) FROM (VALUES '{"b": 1, "a": [{"d": 2, "c": 3}]}') AS t(s)`, [['{"a":[{"c":3,"d":2}],"b":1}']]),
        refuses(`SELECT json_parse(s) FROM (VALUES '[[[[[{"b": 1, "a": 2}]]]]]') AS t(s)`, /json_parse of objects nested more than 4 levels deep/),
      ],
      { note: 'objects nested more than 4 levels deep with several keys are refused at run time (Athena sorts their keys)' },
    ),
    same('json_size', [
      is(`json_size('{"x": {"a": 1, "b": 2}}', '$.x')`, '2'),
      is(`json_size('{"x": [1, 2, 3]}', '$.x')`, '3'),
      is(`json_size('{"x": {"a": 1, "b": 2}}', '$.x.a')`, '0'),
      is(`json_size('{"x": 1}', '$.y')`, null),
    ]),
    same('json_exists', [
      rows(`SELECT id, json_exists(description, 'lax $.children[2]') FROM ${CUSTOMERS}`, [
        ['101', 'true'],
        ['102', 'false'],
        ['103', 'false'],
      ]),
      rows(`SELECT id, json_exists(description, 'strict $.comment') FROM ${CUSTOMERS}`, [
        ['101', 'true'],
        ['102', 'true'],
        ['103', 'true'],
      ]),
      is("json_exists('{', 'lax $.a')", 'false'),
    ]),
    SQL_JSON_FORMS('json_exists'),
    same(
      'json_query',
      [
        rows(`SELECT id, json_query(description, 'lax $.children') FROM ${CUSTOMERS}`, [
          ['101', '[10,13,16]'],
          ['102', '[8,11]'],
          ['103', '[2]'],
        ]),
        rows(`SELECT id, json_query(description, 'lax $.children[last]' WITH ARRAY WRAPPER) FROM ${CUSTOMERS}`, [
          ['101', '[16]'],
          ['102', '[11]'],
          ['103', '[2]'],
        ]),
        rows(`SELECT id, json_query(description, 'strict $.comment' KEEP QUOTES), json_query(description, 'strict $.comment' OMIT QUOTES) FROM ${CUSTOMERS}`, [
          ['101', '"nice"', 'nice'],
          ['102', '"problematic"', 'problematic'],
          ['103', '"knows best"', 'knows best'],
        ]),
      ],
      { note: 'a number that is not whole is refused at run time; a lax path through an array to a member is refused at run time (Athena unwraps it)' },
    ),
    SQL_JSON_FORMS('json_query'),
    refused('json_query', 'the local engine gives the defaults only', 'json_query without them, and coalesce(…, default) for a default', {
      form: QUERY_OPTIONS,
      sql: "json_query('[1]', 'lax $[0]' ERROR ON ERROR)",
    }),
    same(
      'json_value',
      [
        rows(`SELECT id, json_value(description, 'lax $.comment') FROM ${CUSTOMERS}`, [
          ['101', 'nice'],
          ['102', 'problematic'],
          ['103', 'knows best'],
        ]),
        rows(`SELECT id, json_value(description, 'lax $.children[0]' RETURNING tinyint) FROM ${CUSTOMERS}`, [
          ['101', '10'],
          ['102', '8'],
          ['103', '2'],
        ]),
        rows(`SELECT id, json_value(description, 'strict $.children[2]') FROM ${CUSTOMERS}`, [
          ['101', '16'],
          ['102', null],
          ['103', null],
        ]),
        is(`json_value('{"a": [1, 2]}', 'lax $.a')`, null),
        refuses(`json_value('[{"a": 1}]', 'lax $.a')`, /lax JSON path through an array/),
      ],
      { note: 'a number that is not whole is refused at run time; a lax path through an array to a member is refused at run time (Athena unwraps it)' },
    ),
    SQL_JSON_FORMS('json_value'),
    refused('json_value', 'the local engine gives the default only', 'json_value without it, and coalesce(…, default) for a default', {
      form: VALUE_OPTIONS,
      sql: "json_value('[1]', 'lax $[0]' ERROR ON ERROR)",
    }),
    same('json_array', [
      is("json_array(true, 12e-1, 'text')", '[true,1.2,"text"]'),
      is(`json_array(json_query('{"key" : [  "value"  ]}', 'lax $.key'))`, '[["value"]]'),
      is("json_array(DATE '2001-01-31', UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59')", '["2001-01-31","12151fd2-7586-11e9-8f9e-2a86e4085a59"]'),
      is('json_array()', '[]'),
      is('json_array(true, null, 1)', '[true,1]'),
      is('json_array(true, null, 1 ABSENT ON NULL)', '[true,1]'),
      is('json_array(true, null, 1 NULL ON NULL)', '[true,null,1]'),
    ]),
    refused('json_array', 'the local engine writes JSON text only', 'json_array(…) as it is, and to_utf8(…) for varbinary', {
      form: constructorOptions('json_array'),
      sql: 'json_array(true, 1 RETURNING VARBINARY)',
    }),
    same('json_object', [
      is("json_object('key1' : 1, 'key2' : true)", '{"key1":1,"key2":true}'),
      is("json_object(KEY 'key1' VALUE 1, KEY 'key2' VALUE true)", '{"key1":1,"key2":true}'),
      is("json_object('x' : true, 'y' : 12e-1, 'z' : 'text')", '{"x":true,"y":1.2,"z":"text"}'),
      is(`json_object('x' : json_query('{"key" : [  "value"  ]}', 'lax $.key'))`, '{"x":["value"]}'),
      is('json_object()', '{}'),
      is("json_object('x' : null, 'y' : 1)", '{"x":null,"y":1}'),
      is("json_object('x' : null, 'y' : 1 ABSENT ON NULL)", '{"y":1}'),
    ]),
    refused('json_object', 'the local engine writes JSON text only, keeping every key', 'json_object(…) as it is, and to_utf8(…) for varbinary', {
      form: constructorOptions('json_object'),
      sql: "json_object('x' : null, 'x' : 1 WITH UNIQUE KEYS)",
    }),
    same('CAST(… AS JSON)', [
      is('CAST(1 AS JSON)', '1'),
      is("CAST('abc' AS JSON)", '"abc"'),
      is('CAST(true AS JSON)', 'true'),
      is('CAST(ARRAY[1, 23, 456] AS JSON)', '[1,23,456]'),
      is('CAST(ARRAY[1, NULL, 456] AS JSON)', '[1,null,456]'),
      is("CAST(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[1, 23, 456]) AS JSON)", '{"k1":1,"k2":23,"k3":456}'),
      is("CAST(CAST(ROW(123, 'abc', true) AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN)) AS JSON)", '{"v1":123,"v2":"abc","v3":true}'),
    ]),
    same('CAST(JSON AS …)', [
      is("CAST(JSON 'null' AS VARCHAR)", null),
      is("CAST(JSON '1' AS INTEGER)", '1'),
      is("CAST(JSON '9223372036854775807' AS BIGINT)", '9223372036854775807'),
      is(`CAST(JSON '"abc"' AS VARCHAR)`, 'abc'),
      is("CAST(JSON 'true' AS BOOLEAN)", 'true'),
      is("CAST(JSON '1.234' AS DOUBLE)", '1.234'),
      is("CAST(JSON '[1,null,456]' AS ARRAY(INTEGER))", '[1, NULL, 456]'),
      is("CAST(JSON '[[1,23],[456]]' AS ARRAY(ARRAY(INTEGER)))", '[[1, 23], [456]]'),
      is(`CAST(JSON '{"v1":123,"v2":"abc","v3":true}' AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN))`, '{v1=123, v2=abc, v3=true}'),
      is(`CAST(JSON '[123,"abc",true]' AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN))`, '{v1=123, v2=abc, v3=true}'),
      fails("CAST(JSON '[1, 2]' AS VARCHAR)", /Cannot cast/),
    ]),
  ],
};

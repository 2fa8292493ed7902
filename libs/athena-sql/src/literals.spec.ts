import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AthenaSqlError } from './errors';
import { plainQuery } from './plain';
import { openAthenaSession, type AthenaSession } from './testing/duckdb-session';

/**
 * String literals as Trino reads them: a backslash is an ordinary character, `''` is a quote, `U&'…'` has Unicode
 * escapes (with UESCAPE), LIKE … ESCAPE '\' escapes, JSON text keeps its own escapes, a regular expression gets the
 * backslashes written. Each case runs in DuckDB with the macros: through the translator, and (for the queries the
 * lake runs without the parser) as the plain query. The answers are Trino's reading of the text, computed here.
 */

const backslash = '\\';

/** The strings table: texts with backslashes and quotes, one per row. */
const WINDOWS_PATH = `C:${backslash}`;
const STRINGS = [String.raw`a\nb`, WINDOWS_PATH, "it's", 'a_b', String.raw`a\xb`, 'say "hi"', String.raw`tab\there`];
const TABLE = `CREATE TABLE strings AS SELECT * FROM (VALUES ${STRINGS.map((s) => `('${s.replaceAll("'", "''")}')`).join(', ')}) AS t(s)`;
const count = (test: (s: string) => boolean) => String(STRINGS.filter(test).length);

let session: AthenaSession;

beforeAll(async () => {
  session = await openAthenaSession();
  await session.run(TABLE);
});

afterAll(() => session?.close());

const answerOf = async (sql: string) => (await session.query(sql)).rows;

describe('string literals through the translator', () => {
  it.each([
    [String.raw`length('a\nb')`, '4'],
    [String.raw`'a\nb' = 'a' || chr(92) || 'nb'`, 'true'],
    [String.raw`length('C:\')`, '3'],
    [String.raw`'C:\' || 'x'`, `C:${backslash}x`],
    ["'it''s'", "it's"],
    ["length('it''s')", '4'],
    [String.raw`regexp_like('an example here', '\bexample\b')`, 'true'],
    [String.raw`regexp_like('counterexample', '\bexample\b')`, 'false'],
    [String.raw`regexp_like('a.b', 'a\\.b')`, 'false'],
    [String.raw`regexp_like('a\.b', 'a\\.b')`, 'true'],
    [String.raw`regexp_replace('a.b.c', '\.', '-')`, 'a-b-c'],
    [String.raw`regexp_extract('x=12;', '(\d+)', 1)`, '12'],
    [String.raw`split('a\b', '\')`, '[a, b]'],
    [String.raw`'a_b' LIKE 'a\_b' ESCAPE '\'`, 'true'],
    [String.raw`'axb' LIKE 'a\_b' ESCAPE '\'`, 'false'],
    [String.raw`'100%' LIKE '100\%' ESCAPE '\'`, 'true'],
    [String.raw`'a\b' LIKE 'a\b'`, 'true'],
    ["U&'\\0041\\00e9'", 'Aé'],
    ["U&'#0041' UESCAPE '#'", 'A'],
    ["U&'\\+01F600'", '😀'],
    ["U&'a\\\\b'", String.raw`a\b`],
    [String.raw`json_extract_scalar('{"x": "a\\tb"}', '$.x')`, String.raw`a\tb`],
    [String.raw`length(json_extract_scalar('{"x": "a\\tb"}', '$.x'))`, '4'],
    [String.raw`json_extract_scalar('{"x": "a\tb"}', '$.x')`, 'a\tb'],
    [String.raw`json_extract_scalar('{"x": "say \"hi\""}', '$.x')`, 'say "hi"'],
    [String.raw`json_extract_scalar('{"x": "\u00e9"}', '$.x')`, 'é'],
    [String.raw`json_format(json_parse('["a\\b"]'))`, String.raw`["a\\b"]`],
  ])('%s is %s', async (expression, value) => {
    expect(await answerOf(`SELECT ${expression}`)).toEqual([[value]]);
  });

  it("refuses E'…' strings, which are not Athena's", () => {
    expect(() => session.translate(String.raw`SELECT E'a\nb'`)).toThrow(AthenaSqlError);
    expect(() => session.translate(String.raw`SELECT E'a\nb'`)).toThrow(/in Athena a backslash in '…' is an ordinary character/);
  });

  it('refuses an invalid Unicode escape, as Athena does', () => {
    expect(() => session.translate("SELECT U&'\\00G1'")).toThrow(/invalid Unicode escape/);
  });
});

describe('string literals without the parser (the plain queries the lake runs as written)', () => {
  const NAMES = new Set(['strings', 's']);

  it.each([
    [String.raw`SELECT count(*) FROM strings WHERE s = 'a\nb'`, count((s) => s === String.raw`a\nb`)],
    [String.raw`SELECT count(*) FROM strings WHERE s LIKE '%\'`, count((s) => s.endsWith(backslash))],
    ["SELECT count(*) FROM strings WHERE s = 'it''s'", count((s) => s === "it's")],
    [String.raw`SELECT count(*) FROM strings WHERE s LIKE 'a\_b'`, count((s) => /^a\\.b$/.test(s))],
    [String.raw`SELECT count(*) FROM strings WHERE s IN ('C:\', 'say "hi"')`, count((s) => s === WINDOWS_PATH || s === 'say "hi"')],
    [String.raw`SELECT count(*) FROM strings WHERE s = 'tab\there'`, count((s) => s === String.raw`tab\there`)],
  ])('%s counts %s rows, plain and translated alike', async (sql, expected) => {
    const plain = plainQuery(sql, NAMES);
    expect(plain, 'a plain query').toBeDefined();
    expect((await session.run(plain as string)).rows).toEqual([[expected]]);
    expect(await answerOf(sql)).toEqual([[expected]]);
  });
});

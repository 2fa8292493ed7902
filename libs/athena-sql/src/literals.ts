import { AthenaSqlError } from './errors';

/**
 * String literals as Trino reads them. The parser reads them so already (a backslash is an ordinary character,
 * `''` is a quote); what is left is Trino's own notation: Unicode strings (`U&'\0041'`, `UESCAPE`) and typed
 * literals of the numeric types (`BIGINT '1'`), which the parser lacks.
 */

/** Type names that take a typed literal the parser doesn't read, as Trino reads them: `CAST('…' AS <type>)`. */
const TYPED_LITERALS = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'real', 'double']);

type Token = { text: string; span: { start: number; end: number } };

/**
 * The text with its typed literals written as casts (`BIGINT '1'` → `CAST('1' AS BIGINT)`), or undefined when it
 * has none. Only tried when the parser refused the text, so a query without them costs nothing.
 */
export function withTypedLiterals(sql: string, tokens: readonly Token[]): string | undefined {
  let out = '';
  let from = 0;
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (!next || !TYPED_LITERALS.has(token.text.toLowerCase()) || sql[next.span.start] !== "'") return;
    if (tokens[i - 1]?.text.toLowerCase() === 'as') return; // CAST(x AS DOUBLE) 'alias' is no literal
    out += `${sql.slice(from, token.span.start)}CAST(${sql.slice(next.span.start, next.span.end)} AS ${token.text.toUpperCase()})`;
    from = next.span.end;
  });
  return from === 0 ? undefined : out + sql.slice(from);
}

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * A Unicode string literal's text (`U&'…'`): `<escape>XXXX` is a code point of 4 hex digits, `<escape>+XXXXXX` one
 * of 6, two escape characters are one; the escape is `\` unless `UESCAPE` names another.
 */
export function unicodeString(text: string, escape = '\\'): string {
  if ([...escape].length !== 1 || /[0-9A-Fa-f+'"\s]/.test(escape)) {
    throw new AthenaSqlError('syntax', `syntax error: invalid Unicode escape character '${escape}' in UESCAPE`);
  }
  let out = '';
  for (let i = 0; i < text.length; ) {
    const char = text[i] ?? '';
    if (char !== escape) {
      out += char;
      i += 1;
    } else if (text[i + 1] === escape) {
      out += escape;
      i += 2;
    } else {
      const long = text[i + 1] === '+';
      const digits = text.slice(i + (long ? 2 : 1), i + (long ? 8 : 5));
      const code = Number.parseInt(digits, 16);
      if (digits.length !== (long ? 6 : 4) || !HEX.test(digits) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw new AthenaSqlError('syntax', `syntax error: invalid Unicode escape ${text.slice(i, i + (long ? 8 : 5))} in U&'${text}'`);
      }
      out += String.fromCodePoint(code);
      i += long ? 8 : 5;
    }
  }
  return out;
}

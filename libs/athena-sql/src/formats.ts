import { AthenaSqlError, unsupported } from './errors';

/**
 * Athena's two families of date formats, as DuckDB strftime/strptime formats: MySQL-style specifiers
 * (`date_format`, `date_parse`) and Java (Joda) patterns (`format_datetime`, `parse_datetime`). A format is
 * converted once, when the query is translated: strptime needs a constant format, and `%M` must never reach DuckDB
 * unconverted (the month name in Athena, the minutes in DuckDB).
 */
export type FormatUse = 'format' | 'parse';

/** Trino's MySQL specifiers; `parse` differs where strptime reads padded and unpadded numbers alike. */
const MYSQL_SPECIFIERS: Record<string, { format: string; parse?: string }> = {
  a: { format: '%a' },
  b: { format: '%b' },
  c: { format: '%-m', parse: '%m' },
  d: { format: '%d' },
  e: { format: '%-d', parse: '%d' },
  // Athena's timestamps have milliseconds: %f prints them as six digits.
  f: { format: '%g000', parse: '%f' },
  H: { format: '%H' },
  h: { format: '%I' },
  I: { format: '%I' },
  i: { format: '%M' },
  j: { format: '%j' },
  k: { format: '%-H', parse: '%H' },
  l: { format: '%-I', parse: '%I' },
  M: { format: '%B' },
  m: { format: '%m' },
  p: { format: '%p' },
  r: { format: '%I:%M:%S %p' },
  S: { format: '%S' },
  s: { format: '%S' },
  T: { format: '%H:%M:%S' },
  v: { format: '%V' },
  W: { format: '%A' },
  x: { format: '%G' },
  Y: { format: '%Y' },
  y: { format: '%y' },
  '%': { format: '%%' },
};

/** Specifiers Athena itself refuses ("not supported in date format string"). */
const MYSQL_UNSUPPORTED = new Set(['D', 'U', 'u', 'V', 'w', 'X']);

const literal = (text: string) => text.replaceAll('%', '%%');

/** A `date_format`/`date_parse` format as a strftime/strptime format. */
export function mysqlFormat(format: string, use: FormatUse, fn: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i] ?? '';
    if (char !== '%' || i === format.length - 1) {
      out += literal(char);
      continue;
    }
    const spec = format[++i] ?? '';
    const known = MYSQL_SPECIFIERS[spec];
    if (MYSQL_UNSUPPORTED.has(spec) || (use === 'parse' && (spec === 'v' || spec === 'x'))) {
      throw new AthenaSqlError(
        'unsupported',
        `${fn} with %${spec} fails on Athena too (%${spec} not supported in date format string); see the specifiers of date_format`,
        undefined,
        fn,
      );
    }
    // Athena prints an unknown specifier's letter as it is.
    out += known ? (use === 'parse' ? (known.parse ?? known.format) : known.format) : literal(spec);
  }
  return out;
}

/** Joda pattern letters, by run length (the longest entry at or below the run's length applies). */
const JODA_LETTERS: Record<string, Array<[number, string, string?]>> = {
  y: [
    [1, '%Y'],
    [2, '%y'],
    [3, '%Y'],
  ],
  Y: [
    [1, '%Y'],
    [2, '%y'],
    [3, '%Y'],
  ],
  x: [[4, '%G']],
  M: [
    [1, '%-m', '%m'],
    [2, '%m'],
    [3, '%b'],
    [4, '%B'],
  ],
  d: [
    [1, '%-d', '%d'],
    [2, '%d'],
  ],
  D: [
    [1, '%-j', '%j'],
    [3, '%j'],
  ],
  e: [[1, '%u']],
  E: [
    [1, '%a'],
    [4, '%A'],
  ],
  a: [[1, '%p']],
  H: [
    [1, '%-H', '%H'],
    [2, '%H'],
  ],
  h: [
    [1, '%-I', '%I'],
    [2, '%I'],
  ],
  m: [
    [1, '%-M', '%M'],
    [2, '%M'],
  ],
  s: [
    [1, '%-S', '%S'],
    [2, '%S'],
  ],
  S: [
    [3, '%g'],
    [6, '%g000', '%f'],
  ],
  w: [[2, '%V']],
};

/** One run of a pattern letter: its strftime form, or a refusal naming it. */
function jodaRun(letter: string, length: number, use: FormatUse, fn: string): string {
  const forms = JODA_LETTERS[letter] ?? [];
  const match = forms.filter(([min]) => min <= length).at(-1);
  const exact = letter === 'S' || letter === 'x' || letter === 'w' || letter === 'D' ? forms.find(([min]) => min === length) : match;
  if (!exact) {
    const zone = letter === 'z' || letter === 'Z';
    throw unsupported(
      `${fn} with the pattern letters ${letter.repeat(length)}`,
      zone ? 'local timestamps are in UTC: write the zone as text in quotes' : 'use the letters y M d H h m s SSS E a D',
    );
  }
  return use === 'parse' ? (exact[2] ?? exact[1]) : exact[1];
}

/** Quoted text of a Java pattern, from the quote at `start`: its text (`''` is a quote) and where it ends. */
function quotedText(pattern: string, start: number): { text: string; end: number } {
  if (pattern[start + 1] === "'") return { text: "'", end: start + 2 };
  let text = '';
  let i = start + 1;
  while (i < pattern.length) {
    if (pattern[i] === "'" && pattern[i + 1] === "'") {
      text += "'";
      i += 2;
    } else if (pattern[i] === "'") {
      return { text, end: i + 1 };
    } else {
      text += pattern[i++];
    }
  }
  return { text, end: i };
}

/** A `format_datetime`/`parse_datetime` (Java) pattern as a strftime/strptime format. */
export function jodaFormat(pattern: string, use: FormatUse, fn: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const char = pattern[i] ?? '';
    if (char === "'") {
      const { text, end } = quotedText(pattern, i);
      out += literal(text);
      i = end;
    } else if (/[A-Za-z]/.test(char)) {
      let length = 1;
      while (pattern[i + length] === char) length++;
      out += jodaRun(char, length, use, fn);
      i += length;
    } else {
      out += literal(char);
      i++;
    }
  }
  return out;
}

/** Teradata's format elements (to_char, to_timestamp, to_date), longest first; punctuation stays as it is. */
const TERADATA_ELEMENTS: ReadonlyArray<readonly [string, string]> = [
  ['yyyy', '%Y'],
  ['yy', '%y'],
  ['mm', '%m'],
  ['dd', '%d'],
  ['hh24', '%H'],
  ['hh', '%I'],
  ['mi', '%M'],
  ['ss', '%S'],
];

/** A Teradata format as a strftime/strptime format; anything but its elements and punctuation is refused. */
export function teradataFormat(format: string, fn: string): string {
  let out = '';
  for (let i = 0; i < format.length; ) {
    const element = TERADATA_ELEMENTS.find(([name]) => format.startsWith(name, i));
    const char = format[i] ?? '';
    if (element) {
      out += element[1];
      i += element[0].length;
    } else if ('-/,.;: '.includes(char)) {
      out += char;
      i++;
    } else {
      throw unsupported(
        `${fn} with the format element '${format.slice(i)}'`,
        'use yyyy yy mm dd hh24 hh mi ss and punctuation (lower case, as Athena requires)',
        fn,
      );
    }
  }
  return out;
}

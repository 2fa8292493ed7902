/**
 * Java DateTimeFormatter patterns, as Firehose evaluates them in `!{timestamp:<pattern>}`,
 * for an instant in UTC. One row per pattern letter; letters whose output depends on a locale's
 * week rules or on zone names are refused with a clear error rather than guessed.
 */

export class TimestampPatternError extends Error {
  constructor(pattern: string, reason: string) {
    super(`!{timestamp:${pattern}}: ${reason}`);
    this.name = 'TimestampPatternError';
  }
}

/** The calendar fields of one instant in UTC. */
interface Fields {
  year: number;
  month: number; // 1-12
  day: number;
  dayOfYear: number;
  dayOfWeek: number; // 1 = Monday … 7 = Sunday, as java.time numbers it
  hour: number;
  minute: number;
  second: number;
  millis: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const QUARTER_NAMES = ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];
const MILLIS_PER_DAY = 86_400_000;

function fieldsOf(epochMillis: number): Fields {
  const date = new Date(epochMillis);
  const year = date.getUTCFullYear();
  // setUTCFullYear, unlike Date.UTC, doesn't map years 0-99 onto 1900-1999.
  const startOfYear = new Date(0).setUTCFullYear(year, 0, 1);
  const midnight = epochMillis - (((epochMillis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
  return {
    year,
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    dayOfYear: Math.round((midnight - startOfYear) / MILLIS_PER_DAY) + 1,
    dayOfWeek: ((date.getUTCDay() + 6) % 7) + 1,
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millis: date.getUTCMilliseconds(),
  };
}

function pad(value: number, width: number): string {
  const digits = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${digits}` : digits;
}

type Printer = (f: Fields) => string;

function milliOfDay(f: Fields): number {
  return ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.millis;
}

/** A number printed with at least `count` digits, refusing more letters than Java allows. */
function numeric(letter: string, count: number, maxCount: number, value: (f: Fields) => number, pattern: string): Printer {
  if (count > maxCount) throw new TimestampPatternError(pattern, `too many pattern letters: ${letter}`);
  return (f) => pad(value(f), count);
}

/** Java's text styles by letter count: 1-3 short, 4 full, 5 narrow. */
function text(letter: string, count: number, names: (f: Fields) => string, pattern: string): Printer {
  if (count > 5) throw new TimestampPatternError(pattern, `too many pattern letters: ${letter}`);
  if (count === 4) return names;
  if (count === 5) return (f) => names(f).charAt(0);
  return (f) => names(f).slice(0, 3);
}

function year(letter: string, count: number, value: (f: Fields) => number): Printer {
  // "yy" is the reduced two-digit year; 4 or more letters print a sign past 9999 (SignStyle.EXCEEDS_PAD).
  if (count === 2) return (f) => pad(((value(f) % 100) + 100) % 100, 2);
  return (f) => {
    const v = value(f);
    return count >= 4 && v > 9999 ? `+${pad(v, count)}` : pad(v, count);
  };
}

const UNSUPPORTED: Readonly<Record<string, string>> = {
  Y: 'week-based years depend on locale week rules; use u or y',
  w: 'week numbers depend on locale week rules',
  W: 'week numbers depend on locale week rules',
  e: 'localized day-of-week numbers depend on the locale; use E',
  c: 'localized day-of-week numbers depend on the locale; use E',
  F: 'aligned week of month is not supported here',
  B: 'day periods are not supported here',
  V: 'zone ids are not supported here (the time zone is UTC); use X, x, Z or O',
  v: 'zone names are not supported here (the time zone is UTC); use X, x, Z or O',
  z: 'zone names are not supported here (the time zone is UTC); use X, x, Z or O',
};

/** The printer of a date letter (era, year, day, month, quarter, weekday); undefined for any other letter. */
function datePrinterFor(letter: string, count: number, pattern: string): Printer | undefined {
  switch (letter) {
    case 'G':
      return text(letter, count, (f) => (count === 4 ? (f.year > 0 ? 'Anno Domini' : 'Before Christ') : f.year > 0 ? 'AD' : 'BC'), pattern);
    case 'u':
      return year(letter, count, (f) => f.year);
    case 'y':
      return year(letter, count, (f) => (f.year > 0 ? f.year : 1 - f.year));
    case 'D':
      return numeric(letter, count, 3, (f) => f.dayOfYear, pattern);
    case 'M':
    case 'L':
      if (count <= 2) return numeric(letter, count, 2, (f) => f.month, pattern);
      return text(letter, count, (f) => MONTHS[f.month - 1] ?? '', pattern);
    case 'd':
      return numeric(letter, count, 2, (f) => f.day, pattern);
    case 'Q':
    case 'q': {
      const quarter = (f: Fields) => Math.ceil(f.month / 3);
      if (count > 5) throw new TimestampPatternError(pattern, `too many pattern letters: ${letter}`);
      if (count === 3) return (f) => `Q${quarter(f)}`;
      if (count === 4) return (f) => QUARTER_NAMES[quarter(f) - 1] ?? '';
      return (f) => pad(quarter(f), count === 2 ? 2 : 1);
    }
    case 'E':
      return text(letter, count, (f) => WEEKDAYS[f.dayOfWeek - 1] ?? '', pattern);
    default:
      return undefined;
  }
}

/** The printer of a time or zone letter; any other letter is refused by name. */
function timePrinterFor(letter: string, count: number, pattern: string): Printer {
  switch (letter) {
    case 'a':
      if (count > 1) throw new TimestampPatternError(pattern, 'too many pattern letters: a');
      return (f) => (f.hour < 12 ? 'AM' : 'PM');
    case 'h':
      return numeric(letter, count, 2, (f) => (f.hour % 12 === 0 ? 12 : f.hour % 12), pattern);
    case 'K':
      return numeric(letter, count, 2, (f) => f.hour % 12, pattern);
    case 'k':
      return numeric(letter, count, 2, (f) => (f.hour === 0 ? 24 : f.hour), pattern);
    case 'H':
      return numeric(letter, count, 2, (f) => f.hour, pattern);
    case 'm':
      return numeric(letter, count, 2, (f) => f.minute, pattern);
    case 's':
      return numeric(letter, count, 2, (f) => f.second, pattern);
    case 'S':
      if (count > 9) throw new TimestampPatternError(pattern, 'too many pattern letters: S');
      // A fraction of the second, truncated to `count` digits.
      return (f) => pad(f.millis, 3).padEnd(9, '0').slice(0, count);
    case 'A':
      return numeric(letter, count, 19, milliOfDay, pattern);
    case 'n':
      return numeric(letter, count, 19, (f) => f.millis * 1_000_000, pattern);
    case 'N':
      return numeric(letter, count, 19, (f) => milliOfDay(f) * 1_000_000, pattern);
    case 'X':
      if (count > 5) throw new TimestampPatternError(pattern, 'too many pattern letters: X');
      return () => 'Z';
    case 'x':
      if (count > 5) throw new TimestampPatternError(pattern, 'too many pattern letters: x');
      return () => ['+00', '+0000', '+00:00', '+0000', '+00:00'][count - 1] ?? '+00';
    case 'Z':
      if (count > 5) throw new TimestampPatternError(pattern, 'too many pattern letters: Z');
      return () => (count <= 3 ? '+0000' : count === 4 ? 'GMT' : 'Z');
    case 'O':
      if (count !== 1 && count !== 4) throw new TimestampPatternError(pattern, 'pattern letter O takes 1 or 4 letters');
      return () => 'GMT';
    default:
      throw new TimestampPatternError(pattern, `unknown pattern letter: ${letter}`);
  }
}

function printerFor(letter: string, count: number, pattern: string): Printer {
  const unsupported = UNSUPPORTED[letter];
  if (unsupported) throw new TimestampPatternError(pattern, `pattern letter ${letter}: ${unsupported}`);
  return datePrinterFor(letter, count, pattern) ?? timePrinterFor(letter, count, pattern);
}

const RESERVED = new Set(['{', '}', '#']);

/**
 * Compiles a Java DateTimeFormatter pattern once; the result formats an epoch-millisecond instant in UTC.
 * Quoted text ('…', with '' for a quote) is literal; optional sections ([…]) always print, since every
 * field of an instant is available.
 */
export function compileTimestampPattern(pattern: string): (epochMillis: number) => string {
  const printers: Printer[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        printers.push(() => "'");
        i += 2;
        continue;
      }
      let literal = '';
      let j = i + 1;
      for (;;) {
        const close = pattern.indexOf("'", j);
        if (close < 0) throw new TimestampPatternError(pattern, 'a quoted literal is not closed');
        literal += pattern.slice(j, close);
        if (pattern.charAt(close + 1) === "'") {
          literal += "'";
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      printers.push(() => literal);
    } else if (/[A-Za-z]/.test(ch)) {
      let count = 1;
      while (pattern.charAt(i + count) === ch) count++;
      printers.push(printerFor(ch, count, pattern));
      i += count;
    } else if (RESERVED.has(ch)) {
      throw new TimestampPatternError(pattern, `pattern character ${ch} is reserved`);
    } else if (ch === '[' || ch === ']') {
      i++;
    } else {
      printers.push(() => ch);
      i++;
    }
  }
  return (epochMillis) => {
    const f = fieldsOf(epochMillis);
    let out = '';
    for (const print of printers) out += print(f);
    return out;
  };
}

/** Formats one instant with one pattern (compiles it each call; compile once for hot paths). */
export function formatTimestamp(pattern: string, epochMillis: number): string {
  return compileTimestampPattern(pattern)(epochMillis);
}

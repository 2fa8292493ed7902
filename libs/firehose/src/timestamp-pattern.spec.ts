import { describe, expect, it } from 'vitest';
import { compileTimestampPattern, formatTimestamp, TimestampPatternError } from './timestamp-pattern';

// Friday 4 February 2022, 21:07:05.123 UTC
const FRIDAY_EVENING = Date.parse('2022-02-04T21:07:05.123Z');
const NEW_YEAR_MIDNIGHT = Date.parse('2022-01-01T00:00:00.000Z');
const LEAP_YEAR_END = Date.parse('2024-12-31T09:30:00.007Z');

describe('Java DateTimeFormatter patterns, in UTC', () => {
  it.each([
    ['yyyy', FRIDAY_EVENING, '2022'],
    ['yy', FRIDAY_EVENING, '22'],
    ['y', FRIDAY_EVENING, '2022'],
    ['uuuu', FRIDAY_EVENING, '2022'],
    ['MM', FRIDAY_EVENING, '02'],
    ['M', FRIDAY_EVENING, '2'],
    ['MMM', FRIDAY_EVENING, 'Feb'],
    ['MMMM', FRIDAY_EVENING, 'February'],
    ['MMMMM', FRIDAY_EVENING, 'F'],
    ['LL', FRIDAY_EVENING, '02'],
    ['dd', FRIDAY_EVENING, '04'],
    ['d', FRIDAY_EVENING, '4'],
    ['D', FRIDAY_EVENING, '35'],
    ['DDD', FRIDAY_EVENING, '035'],
    ['D', LEAP_YEAR_END, '366'],
    ['HH', FRIDAY_EVENING, '21'],
    ['H', NEW_YEAR_MIDNIGHT, '0'],
    ['HH', NEW_YEAR_MIDNIGHT, '00'],
    ['kk', NEW_YEAR_MIDNIGHT, '24'],
    ['hh', FRIDAY_EVENING, '09'],
    ['h', NEW_YEAR_MIDNIGHT, '12'],
    ['K', FRIDAY_EVENING, '9'],
    ['a', FRIDAY_EVENING, 'PM'],
    ['a', NEW_YEAR_MIDNIGHT, 'AM'],
    ['mm', FRIDAY_EVENING, '07'],
    ['ss', FRIDAY_EVENING, '05'],
    ['S', FRIDAY_EVENING, '1'],
    ['SSS', FRIDAY_EVENING, '123'],
    ['SSSSSS', FRIDAY_EVENING, '123000'],
    ['SSS', LEAP_YEAR_END, '007'],
    ['A', NEW_YEAR_MIDNIGHT, '0'],
    ['A', FRIDAY_EVENING, String(((21 * 60 + 7) * 60 + 5) * 1000 + 123)],
    ['n', FRIDAY_EVENING, '123000000'],
    ['E', FRIDAY_EVENING, 'Fri'],
    ['EEEE', FRIDAY_EVENING, 'Friday'],
    ['EEEEE', FRIDAY_EVENING, 'F'],
    ['Q', FRIDAY_EVENING, '1'],
    ['QQ', LEAP_YEAR_END, '04'],
    ['QQQ', LEAP_YEAR_END, 'Q4'],
    ['QQQQ', FRIDAY_EVENING, '1st quarter'],
    ['G', FRIDAY_EVENING, 'AD'],
    ['GGGG', FRIDAY_EVENING, 'Anno Domini'],
    ['X', FRIDAY_EVENING, 'Z'],
    ['xxx', FRIDAY_EVENING, '+00:00'],
    ['xx', FRIDAY_EVENING, '+0000'],
    ['Z', FRIDAY_EVENING, '+0000'],
    ['O', FRIDAY_EVENING, 'GMT'],
  ])('%s -> %s', (pattern, instant, expected) => {
    expect(formatTimestamp(pattern, instant)).toBe(expected);
  });

  it.each([
    ['yyyy/MM/dd/HH/', '2022/02/04/21/'],
    ["yyyy'-'MM'-'dd", '2022-02-04'],
    ["'year='yyyy", 'year=2022'],
    ["''", "'"],
    ["'it''s' HH", "it's 21"],
    ['[yyyy]-MM', '2022-02'],
    ['yyyy-MM-dd HH:mm:ss.SSS', '2022-02-04 21:07:05.123'],
    ['yyyyMMddHHmmss', '20220204210705'],
  ])('literals and sections: %s -> %s', (pattern, expected) => {
    expect(formatTimestamp(pattern, FRIDAY_EVENING)).toBe(expected);
  });

  it('uses UTC whatever the host time zone: 23:30 in New York on the 4th is hour 04 on the 5th', () => {
    const instant = Date.parse('2022-02-04T23:30:00-05:00');
    expect(formatTimestamp('dd HH', instant)).toBe('05 04');
  });

  it('compiles once and formats many instants', () => {
    const format = compileTimestampPattern('HH');
    expect([0, 1, 23].map((h) => format(Date.UTC(2022, 0, 1, h)))).toEqual(['00', '01', '23']);
  });

  it.each([
    ['ddd', 'too many pattern letters: d'],
    ['HHH', 'too many pattern letters: H'],
    ['aa', 'too many pattern letters: a'],
    ['SSSSSSSSSS', 'too many pattern letters: S'],
    ['b', 'unknown pattern letter: b'],
    ['YYYY', 'week-based years'],
    ['ww', 'week numbers'],
    ['z', 'zone names are not supported'],
    ["'open", 'a quoted literal is not closed'],
    ['yyyy{', 'pattern character { is reserved'],
  ])('refuses %s, naming the expression', (pattern, reason) => {
    expect(() => compileTimestampPattern(pattern)).toThrow(TimestampPatternError);
    expect(() => compileTimestampPattern(pattern)).toThrow(`!{timestamp:${pattern}}: `);
    expect(() => compileTimestampPattern(pattern)).toThrow(reason);
  });
});

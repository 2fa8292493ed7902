import { describe, expect, it } from 'vitest';
import { jodaFormat, mysqlFormat } from './formats';

describe('date formats: Athena’s specifiers as strftime/strptime formats', () => {
  it.each([
    ['%Y-%m-%d %H:00', '%Y-%m-%d %H:00'],
    // %M is the month name in Athena (the minutes in DuckDB); %i the minutes; %W the weekday name.
    ['%M %i %W', '%B %M %A'],
    ['%e|%c|%l|%k', '%-d|%-m|%-I|%-H'],
    ['%r %T', '%I:%M:%S %p %H:%M:%S'],
    ['%f', '%g000'],
    ['%j|%y|%h|%s|%%', '%j|%y|%I|%S|%%'],
    ['%v %x', '%V %G'],
    ['%Q, and a %', 'Q, and a %%'],
  ])('date_format %j → strftime %j', (athena, duckdb) => {
    expect(mysqlFormat(athena, 'format', 'date_format')).toBe(duckdb);
  });

  it('reads unpadded numbers with padded specifiers when parsing', () => {
    expect(mysqlFormat('%e/%c/%Y %k:%i', 'parse', 'date_parse')).toBe('%d/%m/%Y %H:%M');
  });

  it.each(['%D', '%U', '%u', '%V', '%w', '%X'])('refuses %s, as Athena does', (spec) => {
    expect(() => mysqlFormat(spec, 'format', 'date_format')).toThrow(
      `date_format with ${spec} fails on Athena too (${spec} not supported in date format string)`,
    );
  });

  it.each([
    ['yyyy-MM-dd HH:mm:ss.SSS', '%Y-%m-%d %H:%M:%S.%g'],
    ['EEEE, MMMM d', '%A, %B %-d'],
    ['EEE MMM dd yy', '%a %b %d %y'],
    ["yyyy-MM-dd'T'HH", '%Y-%m-%dT%H'],
    ["h:mm a 'o''clock'", "%-I:%M %p o'clock"],
    ['DDD e ww xxxx', '%j %u %V %G'],
    ['100%', '100%%'],
  ])('format_datetime %j → strftime %j', (java, duckdb) => {
    expect(jodaFormat(java, 'format', 'format_datetime')).toBe(duckdb);
  });

  it.each([
    ['z', 'local timestamps are in UTC'],
    ['Z', 'local timestamps are in UTC'],
    ['G', 'use the letters'],
    ['SS', 'use the letters'],
  ])('refuses the pattern letters %s', (pattern, hint) => {
    expect(() => jodaFormat(pattern, 'format', 'format_datetime')).toThrow(hint);
  });
});

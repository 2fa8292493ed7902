import { fn, num, str, stringLiteral, type Node } from './ast';
import { AthenaSqlError, unsupported } from './errors';
import type { Build } from './rewrite-lambdas';

/**
 * format(f, args…): Java's Formatter, as DuckDB's printf. The format is converted while it is a constant: each
 * conversion takes its argument (by position, `%2$s`, `%<s`, or in turn) made what Java would print: %s of any
 * value its Athena text (a double as 1.0E10; a timestamp as Java's LocalDateTime, 2020-01-02T10:00), %f rounded half up from the value's shortest digits as Java rounds
 * (C rounds 0.15 to 0.1, Java to 0.2), %x and %o of a non-negative integer. The conversions Java and C print
 * differently (%e, %g, %a, %b, %h, %c, %t, the `(` and `#` flags) are refused by the table's row.
 */

/** %[index$ or <][flags][width][.precision]conversion, Java's syntax (and %% and %n). */
const SPEC = /%(?:(\d+)\$|(<))?([-#+ 0,(]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;

/** The conversions DuckDB's printf prints as Java does, once the argument is made so. */
const SUPPORTED = new Set(['s', 'S', 'd', 'x', 'X', 'o', 'f', '%', 'n']);

interface Conversion {
  readonly spec: string;
  readonly argument: number | undefined;
}

/** The argument a conversion takes: explicit, the previous one (<), or the next in turn. */
function argumentOf(index: string | undefined, previous: boolean, state: { next: number; last: number }): number {
  if (previous) return state.last;
  if (index !== undefined) return (state.last = Number(index) - 1);
  return (state.last = state.next++);
}

/** The format's conversions, each with the printf spec DuckDB prints alike and its argument's index. */
function conversionsOf(format: string): { text: string; conversions: Conversion[] } {
  const state = { next: 0, last: -1 };
  const conversions: Conversion[] = [];
  const text = format.replace(
    SPEC,
    (whole, index: string | undefined, previous: string | undefined, flags: string, width = '', precision: string | undefined, conversion: string) => {
      if (conversion === '%') return '%%';
      if (conversion === 'n') return '\n';
      if (!SUPPORTED.has(conversion) || /[#(]/.test(flags)) throw new FormatRefusal(whole);
      const argument = argumentOf(index, previous !== undefined, state);
      const spec = `%${flags}${width}${precision === undefined ? (conversion === 'f' ? '.6' : '') : `.${precision}`}${conversion === 'S' ? 's' : conversion}`;
      conversions.push({ spec: whole, argument });
      return spec;
    },
  );
  return { text, conversions };
}

class FormatRefusal extends Error {}

/** The argument as Java would print it with the conversion. */
function argumentFor(spec: string, value: Node, build: Build): Node {
  const conversion = spec.at(-1) ?? 's';
  const precision = /\.(\d+)/.exec(spec)?.[1];
  if (conversion === 's') return build(fn('athena_format_text', [value]));
  if (conversion === 'S') return build(fn('upper', [build(fn('athena_format_text', [value]))]));
  if (conversion === 'f') return build(fn('athena_format_fixed', [value, build(num(Number(precision ?? 6)))]));
  if (conversion === 'd') return build(fn('athena_format_integer', [value]));
  return build(fn('athena_format_unsigned', [value]));
}

export function rewriteFormat(args: Node[], build: Build, refuse: (form: string) => never): Node {
  const [formatNode, ...values] = args;
  const format = stringLiteral(formatNode);
  if (format === undefined)
    throw unsupported('format with a format that is not a string literal', "write the format as a literal, e.g. format('%s: %d', a, b)", 'format');
  let converted: { text: string; conversions: Conversion[] };
  try {
    converted = conversionsOf(format);
  } catch (error) {
    if (error instanceof FormatRefusal) refuse('format with %e, %g, %a, %b, %h, %c or %t conversions, or the ( and # flags');
    throw error;
  }
  const printed = converted.conversions.map(({ spec, argument }) => {
    const value = argument === undefined ? undefined : values[argument];
    if (!value) throw new AthenaSqlError('unsupported', `format: ${spec} has no argument (Athena: MissingFormatArgumentException)`);
    return argumentFor(spec, value, build);
  });
  return build(fn('printf', [build(str(converted.text)), ...printed]));
}

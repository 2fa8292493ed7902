import { alias, bodyOf, callOf, castTo, fn, isDate, isNode, kindOf, str, type Node } from './ast';
import { unsupported } from './errors';
import { ATHENA_FUNCTION_NAMES } from './functions';
import { rewriteCall } from './rewrite-calls';
import { checkFunctionName } from './rewrite-names';
import {
  rewriteArithmetic,
  rewriteCast,
  rewriteExtract,
  rewriteIf,
  rewriteIntervalArithmetic,
  rewriteLiteral,
  rewriteLog,
  rewriteNormalize,
  rewriteConcat,
  rewriteOverlay,
  rewriteRow,
  rewriteSubscript,
  rewriteSubstring,
  rewriteTypeof,
  rewriteUnicodeString,
} from './rewrite-operators';

/**
 * The rewrites that make Athena's SQL, printed back as Trino SQL, mean on DuckDB (with the macros of `macros.ts`)
 * what it means on Athena. Each is here because a macro can't do it: a format that must be converted while it is
 * still a constant, syntax (AT TIME ZONE, EXTRACT, IF, CAST, ||), lambdas, varargs, names of result columns, and
 * the constructs that can't give Athena's answer locally, which are refused by name with the local way to write them.
 */

/** The name a result column takes when Athena would call it `_col<N>`; the result layer renames it by position. */
export const UNNAMED_COLUMN_PREFIX = '__athena_col';

const QUERY_KINDS = new Set(['select', 'union', 'intersect', 'except', 'values', 'subquery']);
const SET_OPERATIONS = new Set(['union', 'intersect', 'except']);

/** Field and format functions: an AT TIME ZONE argument means that zone's wall clock. */
const WALL_CLOCK_KINDS = new Set(['hour', 'minute', 'second', 'day', 'month', 'year', 'quarter', 'day_of_week', 'day_of_year', 'day_of_month', 'extract']);
const WALL_CLOCK_FUNCTIONS = new Set(['dow', 'doy', 'week', 'week_of_year', 'year_of_week', 'yow', 'millisecond', 'date', 'date_format', 'format_datetime']);

/** `x AT TIME ZONE z`, `at_timezone(x, z)`, `with_timezone(x, z)`: the time, the zone, and whether it converts. */
function zonedTime(node: Node): { time: Node; zone: Node; converts: boolean } | undefined {
  if (kindOf(node) === 'at_time_zone') {
    const body = bodyOf(node);
    return isNode(body['this']) && isNode(body['zone']) ? { time: body['this'], zone: body['zone'], converts: true } : undefined;
  }
  const call = callOf(node);
  if ((call?.name === 'at_timezone' || call?.name === 'with_timezone') && call.args.length === 2) {
    const [time, zone] = call.args as [Node, Node];
    return { time, zone, converts: call.name === 'at_timezone' };
  }
  return undefined;
}

const ZONE_REFUSAL = unsupported(
  'AT TIME ZONE inside an expression',
  "use it as a selected column (event_date AT TIME ZONE 'Europe/Lisbon', alone or in date_trunc), or inside hour(), day(), day_of_week(), date_format() and the like",
);

/** A timestamp literal as Athena shows it: with as many fraction digits as it was written with. */
function timestampLiteralText(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?)?$/.exec(value.trim());
  if (!match) return undefined;
  const [, date, hour = '0', minute = '00', second = '00', fraction] = match;
  return `${date} ${hour.padStart(2, '0')}:${minute}:${second}${fraction ? `.${fraction}` : ''}`;
}

/** Rewrites one statement's tree; a node it built is never visited again. */
export class Rewriter {
  private readonly done = new WeakSet<object>();

  /** `isExpression`: whether an object of the tree is a node proper (one key, an expression kind) or a structure. */
  constructor(private readonly isExpression: (value: unknown) => boolean) {}

  private built(node: Node): Node {
    this.done.add(node);
    return node;
  }

  /** The statement, if it is a query (SELECT, WITH … SELECT, set operations, VALUES). */
  statement(node: Node): Node {
    return this.query(node, true);
  }

  private query(node: Node, top: boolean): Node {
    const kind = kindOf(node);
    const body = bodyOf(node);
    if (kind === 'select') this.select(body, top);
    else if (SET_OPERATIONS.has(kind) || kind === 'subquery') {
      for (const key of Object.keys(body)) {
        const child = body[key];
        body[key] = (key === 'left' || key === 'right' || (kind === 'subquery' && key === 'this')) && isNode(child) ? this.query(child, top) : this.visit(child);
      }
    } else this.children(body);
    return node;
  }

  private select(body: Node, top: boolean): void {
    const items = Array.isArray(body['expressions']) ? body['expressions'].filter(isNode) : [];
    body['expressions'] = items.map((item, i) => {
      const named = ['alias', 'column', 'star'].includes(kindOf(item));
      const rewritten = named && kindOf(item) === 'alias' ? this.aliased(item, top) : this.item(item, top);
      return named ? rewritten : alias(rewritten, `${UNNAMED_COLUMN_PREFIX}${i}`);
    });
    for (const key of Object.keys(body)) if (key !== 'expressions') body[key] = this.visit(body[key]);
  }

  private aliased(item: Node, top: boolean): Node {
    const body = bodyOf(item);
    if (isNode(body['this'])) body['this'] = this.item(body['this'], top);
    return item;
  }

  /** A selected expression: at the top level, zoned times and timestamp literals are shown as Athena shows them. */
  private item(node: Node, top: boolean): Node {
    if (top) {
      const zoned = this.truncatedZonedTime(node);
      if (zoned) return zoned;
      const literal = bodyOf(node);
      const text = kindOf(node) === 'literal' && literal['literal_type'] === 'timestamp' ? timestampLiteralText(String(literal['value'])) : undefined;
      if (text) return this.built(str(text));
    }
    return this.visit(node) as Node;
  }

  /** `date_trunc(u, x AT TIME ZONE z)` selected: truncated in the zone, shown with it. */
  private truncatedZonedTime(node: Node): Node | undefined {
    const call = callOf(node);
    const inner = call?.name === 'date_trunc' && call.args[1] ? zonedTime(call.args[1]) : undefined;
    if (!call || !inner) return this.zonedText(node);
    const wall = this.wallClock(inner);
    return this.built(fn('athena_zoned_text', [this.built(fn('date_trunc', [this.visit(call.args[0]) as Node, wall])), this.visit(inner.zone) as Node]));
  }

  private zonedText(node: Node): Node | undefined {
    const zoned = zonedTime(node);
    if (!zoned) return undefined;
    return this.built(fn('athena_zoned_text', [this.wallClock(zoned), this.visit(zoned.zone) as Node]));
  }

  private wallClock(zoned: { time: Node; zone: Node; converts: boolean }): Node {
    const time = this.visit(zoned.time) as Node;
    return this.built(zoned.converts ? fn('athena_at_zone', [time, this.visit(zoned.zone) as Node]) : castTo(time, 'timestamp'));
  }

  visit(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.visit(v));
    if (!isNode(value) || this.done.has(value)) return value;
    if (!this.isExpression(value)) {
      this.children(value); // a structure inside a node: where_clause, from, order_by, …
      return value;
    }
    const kind = kindOf(value);
    if (QUERY_KINDS.has(kind)) return this.query(value, false);
    const call = callOf(value);
    if (call) checkFunctionName(call.name, () => ATHENA_FUNCTION_NAMES);
    if (zonedTime(value)) throw ZONE_REFUSAL;
    this.takeWallClock(value);
    this.children(bodyOf(value));
    return rewriteNode(value, (node) => this.built(node));
  }

  private children(fields: Node): void {
    for (const key of Object.keys(fields)) fields[key] = this.visit(fields[key]);
  }

  /** hour(x AT TIME ZONE z) → hour(<the wall clock of x in z>). */
  private takeWallClock(node: Node): void {
    const kind = kindOf(node);
    const body = bodyOf(node);
    const call = callOf(node);
    if (call && WALL_CLOCK_FUNCTIONS.has(call.name) && call.args[0]) {
      const zoned = zonedTime(call.args[0]);
      if (zoned) (body['args'] as Node[])[0] = this.wallClock(zoned);
    } else if ((WALL_CLOCK_KINDS.has(kind) || (kind === 'cast' && isDate(node))) && isNode(body['this'])) {
      const zoned = zonedTime(body['this']);
      if (zoned) body['this'] = this.wallClock(zoned);
    }
  }
}

type Build = (node: Node) => Node;

/** One node, its children already rewritten. */
function rewriteNode(node: Node, build: Build): Node {
  switch (kindOf(node)) {
    case 'function':
    case 'aggregate_function':
      return rewriteCall(node, build);
    case 'extract':
      return rewriteExtract(node, build);
    case 'if_func':
      return rewriteIf(node);
    case 'cast':
    case 'try_cast':
      return rewriteCast(node, build);
    case 'typeof':
      return rewriteTypeof(node, build);
    case 'div':
    case 'mod':
    case 'mod_func':
      return rewriteArithmetic(node, build);
    case 'add':
    case 'sub':
      return rewriteIntervalArithmetic(node, build);
    case 'log':
      return rewriteLog(node, build);
    case 'unicode_string':
      return rewriteUnicodeString(node, build);
    case 'literal':
      return rewriteLiteral(node, build);
    case 'overlay':
      return rewriteOverlay(node, build);
    case 'substring':
      return rewriteSubstring(node, build);
    case 'normalize':
      return rewriteNormalize(node, build);
    case 'subscript':
      return rewriteSubscript(node, build);
    case 'concat':
      return rewriteConcat(node, build);
    case 'tuple':
      return rewriteRow(node, build);
    default:
      return node;
  }
}

import { alias, binary, bodyOf, callOf, castTo, contains, fn, isNode, kindOf, nul, num, str, stringLiteral, type Node } from './ast';
import { unsupported } from './errors';
import { jodaFormat, mysqlFormat } from './formats';

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

/** DuckDB's own functions, which Athena lacks: refused, so what runs locally also runs on Athena. */
const DUCKDB_ONLY: Record<string, string> = {
  strftime: "date_format(ts, '%Y-%m-%d %H:%i')",
  strptime: "date_parse(text, '%Y-%m-%d')",
  epoch: 'to_unixtime(ts)',
  epoch_ms: 'to_unixtime(ts) * 1000',
  epoch_us: 'to_unixtime(ts) * 1000000',
  to_timestamp: 'from_unixtime(seconds)',
  make_timestamp: "date_parse(text, '%Y-%m-%d %H:%i:%s')",
  today: 'current_date',
  datediff: "date_diff('day', a, b)",
  date_part: 'extract(hour FROM ts), or hour(ts)',
  list_transform: 'transform(array, x -> …)',
  list_filter: 'filter(array, x -> …)',
  list_contains: 'contains(array, value)',
  list_value: 'ARRAY[a, b]',
  string_split: 'split(text, delimiter)',
  str_split: 'split(text, delimiter)',
  array_to_string: 'array_join(array, delimiter)',
  regexp_matches: 'regexp_like(text, pattern)',
  regexp_full_match: "regexp_like(text, '^…$')",
  strlen: 'length(text)',
  any_value: 'arbitrary(x)',
  first: 'arbitrary(x)',
  arg_max: 'max_by(x, y)',
  arg_min: 'min_by(x, y)',
  approx_count_distinct: 'approx_distinct(x)',
  approx_quantile: 'approx_percentile(x, p)',
  quantile_disc: 'approx_percentile(x, p)',
  median: 'approx_percentile(x, 0.5)',
  string_agg: "array_join(array_agg(x), ',')",
  generate_series: 'sequence(start, stop)',
};

/** The function name of a node that calls one, whatever kind the parser gave it. */
function functionName(node: Node): string {
  const call = callOf(node);
  if (call) return call.name;
  const body = bodyOf(node);
  return typeof body['name'] === 'string' ? body['name'].toLowerCase() : kindOf(node);
}

const isDecimalLiteral = (node: Node) =>
  kindOf(node) === 'literal' && bodyOf(node)['literal_type'] === 'number' && /^\d*\.\d*$/.test(String(bodyOf(node)['value']));

/** A value the query shows to be a date, whatever the columns' types: DATE '…', CAST(… AS DATE), current_date, date(…). */
function isDate(node: Node): boolean {
  const kind = kindOf(node);
  const body = bodyOf(node);
  if (kind === 'literal') return body['literal_type'] === 'date';
  if (kind === 'cast' || kind === 'try_cast') return isNode(body['to']) && body['to']['data_type'] === 'date';
  return ['current_date', 'date', 'from_iso8601_date', 'last_day_of_month'].includes(callOf(node)?.name ?? '');
}

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
        body[key] =
          (key === 'left' || key === 'right' || (kind === 'subquery' && key === 'this')) && isNode(child) ? this.query(child, top) : this.visit(child);
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
    const duckdb = DUCKDB_ONLY[functionName(value)];
    if (duckdb && kind !== 'column' && kind !== 'table')
      throw unsupported(`${functionName(value)}() (DuckDB's, not Athena's)`, `write ${duckdb}, or run with --dialect duckdb`);
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
      if (bodyOf(node)['false_value'] == null) bodyOf(node)['false_value'] = nul();
      return node;
    case 'cast':
    case 'try_cast':
      return rewriteCast(node, build);
    case 'typeof': {
      const text = stringLiteral(bodyOf(node)['this'] as Node | undefined);
      return text === undefined ? node : build(str(`varchar(${[...text].length})`));
    }
    case 'div':
      return refuseDecimalDivision(node);
    case 'add':
    case 'sub':
      return rewriteIntervalArithmetic(node, build);
    default:
      return node;
  }
}

/** Athena's date formats are converted while they are constants; a format computed by the query is refused. */
function convertFormat(name: string, args: Node[], build: Build): Node {
  const [value, formatNode] = args as [Node, Node];
  const format = stringLiteral(formatNode);
  if (format === undefined || args.length !== 2)
    throw unsupported(`${name} with a format that is not a string literal`, `write the format as a literal, e.g. ${name}(x, '%Y-%m-%d')`);
  const parse = name === 'date_parse' || name === 'parse_datetime';
  const converted = (name === 'date_format' || name === 'date_parse' ? mysqlFormat : jodaFormat)(format, parse ? 'parse' : 'format', name);
  const call = build(fn(parse ? 'strptime' : 'strftime', [value, build(str(converted))]));
  return name === 'parse_datetime' ? build(castTo(call, 'timestamp with time zone')) : call;
}

const LAMBDA_FUNCTIONS: Record<string, string> = { transform: 'list_transform', filter: 'list_filter' };

function rewriteCall(node: Node, build: Build): Node {
  const call = callOf(node);
  if (!call) return node;
  const { name, args } = call;
  if (['date_format', 'date_parse', 'format_datetime', 'parse_datetime'].includes(name)) return convertFormat(name, args, build);
  if (name === 'concat' && args.length > 0) return args.slice(1).reduce((left, right) => build(binary('concat', left, right)), args[0] as Node);
  const lambda = LAMBDA_FUNCTIONS[name];
  if (lambda) return build(fn(lambda, args));
  if (name === 'reduce') throw unsupported('reduce()', 'aggregate the array with UNNEST and GROUP BY');
  if ((name === 'date_add' || name === 'date_trunc') && args.length >= 2 && isDate(args[args.length - 1] as Node)) {
    // A date stays a date, as in Athena: computed on a timestamp, then cast back.
    const asTimestamp = args.map((a, i) => (i === args.length - 1 ? build(castTo(a, 'timestamp')) : a));
    return build(castTo(build(fn(name, asTimestamp)), 'date'));
  }
  return node;
}

/** EXTRACT's fields where DuckDB's meaning differs: DOW is ISO (Monday 1 … Sunday 7) in Athena. */
const EXTRACT_FUNCTIONS: Record<string, string> = { DayOfWeek: 'isodow', DayOfYear: 'dayofyear', YearOfWeek: 'isoyear', Millisecond: 'millisecond' };

function rewriteExtract(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const replacement = EXTRACT_FUNCTIONS[String(body['field'])];
  return replacement && isNode(body['this']) ? build(fn(replacement, [body['this']])) : node;
}

function rewriteCast(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const to = isNode(body['to']) ? body['to'] : {};
  const type = String(to['data_type']);
  if (['array', 'map', 'struct', 'row'].includes(type)) {
    throw unsupported(`CAST to ${type.toUpperCase()}(…)`, 'build the value with ARRAY[…], map(…) or ROW(…), or cast its elements');
  }
  if (type === 'timestamp' && to['precision'] != null) to['precision'] = null; // timestamps are timestamp(3) already
  if (type !== 'var_char' || !isNode(body['this'])) return node;
  const text = build(fn('athena_varchar', [body['this']]));
  const fitted = typeof to['length'] === 'number' ? build(fn('substr', [text, build(num(1)), build(num(to['length']))])) : text;
  return kindOf(node) === 'try_cast' ? build(fn('try', [fitted])) : fitted;
}

/** Athena divides DECIMAL values as decimals (5 * 1.0 / 3 = 1.7); DuckDB as doubles (1.6666…). */
function refuseDecimalDivision(node: Node): Node {
  if (contains(node, isDecimalLiteral)) {
    throw unsupported(
      'Division with a decimal literal (1.0, 100.0)',
      'Athena divides DECIMAL values keeping the larger scale (5 * 1.0 / 3 = 1.7); for a fraction write a double, 5 * 1e0 / 3, or CAST(x AS DOUBLE) / y, which both engines compute alike',
    );
  }
  return node;
}

const DATE_UNITS = new Set(['Day', 'Week', 'Month', 'Quarter', 'Year']);

/** date ± INTERVAL stays a date, as in Athena; on a column the translation can't see is a date, the macro refuses it. */
function rewriteIntervalArithmetic(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const [left, right] = [body['left'], body['right']];
  if (!isNode(left) || !isNode(right)) return node;
  const interval = kindOf(right) === 'interval' ? right : kindOf(left) === 'interval' ? left : undefined;
  if (!interval) return node;
  const other = interval === right ? left : right;
  if (isDate(other)) {
    const unit = bodyOf(interval)['unit'];
    if (!isNode(unit) || !DATE_UNITS.has(String(unit['unit']))) {
      throw unsupported('DATE ± INTERVAL of hours, minutes or seconds', 'Athena refuses it too: CAST the date AS TIMESTAMP first');
    }
    return build(castTo(node, 'date'));
  }
  body[interval === right ? 'left' : 'right'] = build(fn('athena_not_date', [other]));
  return node;
}

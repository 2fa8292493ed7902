import { binary, bodyOf, callOf, castTo, fn, isNode, kindOf, num, str, stringLiteral, type Node } from './ast';
import { unsupported } from './errors';
import type { Build } from './rewrite-lambdas';

/**
 * Zoned times. Athena's `timestamp with time zone` carries its zone; DuckDB's TIMESTAMPTZ is an instant shown in the
 * session's zone (UTC). So the translation follows a zoned time through the query as two expressions, the instant
 * and the zone, and gives each use what it needs: a selected value its text (`2012-10-30 18:00:00.000
 * America/Los_Angeles`), hour(), date_format(), CAST(… AS DATE) and the like its wall clock, a comparison or
 * to_unixtime() its instant, timezone_hour() its offset. Any other use is refused by name.
 */

export interface Zoned {
  instant: Node;
  zone: Node;
}

export interface ZoneContext {
  visit: (node: Node) => Node;
  build: Build;
}

/** A TIMESTAMP literal's zone, when it has one other than UTC: `TIMESTAMP '2012-10-31 01:00 America/New_York'`. */
const LITERAL_ZONE = /^(\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+)?)\s*(?:\s([A-Za-z_]+\/[A-Za-z_/+-]+)|([+-]\d{2}:\d{2}))$/;

const SMALL_UNITS = new Set(['millisecond', 'second', 'minute', 'hour']);

/** A wall clock as a zoned time: the instant the wall clock is in that zone. */
const fromWall = (wall: Node, zone: Node, c: ZoneContext): Zoned => ({ instant: c.build(fn('athena_instant', [wall, zone])), zone });

export const wallOf = (z: Zoned, c: ZoneContext) => c.build(fn('athena_wall', [z.instant, z.zone]));
export const textOf = (z: Zoned, c: ZoneContext) => c.build(fn('athena_zoned_text', [wallOf(z, c), z.zone]));

/** The zoned time a node gives, if it gives one (its parts visited). */
export function zonedOf(node: Node, c: ZoneContext): Zoned | undefined {
  const kind = kindOf(node);
  const body = bodyOf(node);
  if (kind === 'at_time_zone' && isNode(body['this']) && isNode(body['zone'])) return converted(body['this'], body['zone'], c);
  if (kind === 'literal' && body['literal_type'] === 'timestamp') {
    const [, wall, named, offset] = LITERAL_ZONE.exec(String(body['value'])) ?? [];
    const zone = named ?? offset;
    return wall && zone ? fromWall(c.build(castTo(c.build(str(wall)), 'timestamp')), c.build(str(zone)), c) : undefined;
  }
  const call = callOf(node);
  if (!call) return undefined;
  const [a, b, d] = call.args;
  if (call.name === 'at_timezone' && a && b) return converted(a, b, c);
  if (call.name === 'with_timezone' && a && b) return fromWall(c.visit(a), c.visit(b), c);
  if (call.name === 'from_unixtime' && a && b) {
    const zone = d ? c.build(fn('athena_offset_text', [c.visit(b), c.visit(d)])) : c.visit(b);
    return { instant: c.build(fn('from_unixtime', [c.visit(a)])), zone };
  }
  return derived(call.name, call.args, c);
}

/** `x AT TIME ZONE z`: the same instant, in z. */
function converted(time: Node, zone: Node, c: ZoneContext): Zoned {
  const inner = zonedOf(time, c);
  return { instant: inner ? inner.instant : c.build(castTo(c.visit(time), 'timestamp with time zone')), zone: c.visit(zone) };
}

/** date_trunc and date_add of a zoned time: in its zone's wall clock (days and more), or of its instant (hours and less). */
function derived(name: string, args: Node[], c: ZoneContext): Zoned | undefined {
  const last = args.at(-1);
  const inner = last && (name === 'date_trunc' || name === 'date_add') ? zonedOf(last, c) : undefined;
  if (!inner) return undefined;
  const unit = stringLiteral(args[0])?.toLowerCase();
  const others = args.slice(0, -1).map((a) => c.visit(a));
  if (name === 'date_add' && unit && SMALL_UNITS.has(unit)) return { instant: c.build(fn('date_add', [...others, inner.instant])), zone: inner.zone };
  return fromWall(c.build(fn(name, [...others, wallOf(inner, c)])), inner.zone, c);
}

/** A zoned time ± INTERVAL: as date_add. */
export function zonedArithmetic(node: Node, c: ZoneContext): Zoned | undefined {
  const kind = kindOf(node);
  const { left, right } = bodyOf(node);
  if ((kind !== 'add' && kind !== 'sub') || !isNode(left) || !isNode(right) || kindOf(right) !== 'interval') return undefined;
  const inner = zonedOf(left, c) ?? zonedArithmetic(left, c);
  if (!inner) return undefined;
  const unit = String((bodyOf(right)['unit'] as { unit?: string } | undefined)?.unit ?? '').toLowerCase();
  const interval = c.visit(right);
  if (SMALL_UNITS.has(unit)) return { instant: c.build(binary(kind, inner.instant, interval)), zone: inner.zone };
  return fromWall(c.build(binary(kind, wallOf(inner, c), interval)), inner.zone, c);
}

/** Whether a node gives a zoned time, read from its syntax alone (nothing visited). */
export function isZoned(node: unknown): boolean {
  if (!isNode(node)) return false;
  const kind = kindOf(node);
  const body = bodyOf(node);
  if (kind === 'at_time_zone') return true;
  if (kind === 'literal') return body['literal_type'] === 'timestamp' && LITERAL_ZONE.test(String(body['value']));
  if ((kind === 'add' || kind === 'sub') && isNode(body['right']) && kindOf(body['right']) === 'interval') return isZoned(body['left']);
  const call = callOf(node);
  if (!call) return false;
  if (call.name === 'at_timezone' || call.name === 'with_timezone') return call.args.length === 2;
  if (call.name === 'from_unixtime') return call.args.length >= 2;
  return (call.name === 'date_trunc' || call.name === 'date_add') && isZoned(call.args.at(-1));
}

/** The zoned time of a node that gives one (check with isZoned first: this visits its parts). */
const zoned = (node: unknown, c: ZoneContext) => (isZoned(node) ? (zonedOf(node as Node, c) ?? zonedArithmetic(node as Node, c)) : undefined);

/** Functions of a zoned time that take its wall clock (the fields, the formats, CAST to a date or a timestamp). */
const WALL_CLOCK_KINDS = new Set(['hour', 'minute', 'second', 'day', 'month', 'year', 'quarter', 'day_of_week', 'day_of_year', 'day_of_month', 'week_of_year']);
const WALL_CLOCK_FUNCTIONS = new Set([
  'dow',
  'doy',
  'week',
  'week_of_year',
  'year_of_week',
  'yow',
  'millisecond',
  'date',
  'date_format',
  'format_datetime',
  'to_char',
  'last_day_of_month',
]);
/** Comparisons, which compare instants. */
const COMPARISONS = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'null_safe_eq', 'null_safe_neq']);

/**
 * A use of a zoned time that the translation gives Athena's meaning, rewritten (the node returned is built); or
 * undefined when the node uses no zoned time.
 */
export function zonedUse(node: Node, c: ZoneContext): Node | undefined {
  const kind = kindOf(node);
  const body = bodyOf(node);
  const call = callOf(node);
  if (call) return zonedCall(node, call.name, call.args, c);
  if (WALL_CLOCK_KINDS.has(kind) && isZoned(body['this'])) return replaceField(node, 'this', (z) => wallOf(z, c), c);
  if (kind === 'extract') return zonedExtract(node, c);
  if ((kind === 'cast' || kind === 'try_cast') && isZoned(body['this'])) return zonedCast(node, c);
  if (COMPARISONS.has(kind) && (isZoned(body['left']) || isZoned(body['right']))) {
    for (const side of ['left', 'right']) replaceField(node, side, (z) => z.instant, c);
    return undefined; // the comparison itself is visited as usual
  }
  if (kind === 'between' && ['this', 'low', 'high'].some((f) => isZoned(body[f]))) {
    for (const field of ['this', 'low', 'high']) replaceField(node, field, (z) => z.instant, c);
    return undefined;
  }
  return undefined;
}

/** Replaces a field of the node holding a zoned time with what `take` makes of it (the node itself is kept). */
function replaceField(node: Node, field: string, take: (z: Zoned) => Node, c: ZoneContext): Node | undefined {
  const body = bodyOf(node);
  const z = zoned(body[field], c);
  if (z) body[field] = take(z);
  return undefined;
}

function zonedCall(node: Node, name: string, args: Node[], c: ZoneContext): Node | undefined {
  if (name === 'date_diff' && (isZoned(args[1]) || isZoned(args[2]))) {
    const [first, second] = [zoned(args[1], c), zoned(args[2], c)];
    const zone = first?.zone ?? second?.zone ?? c.build(str('UTC'));
    const instantOf = (z: Zoned | undefined, arg: Node) => z?.instant ?? c.build(castTo(c.visit(arg), 'timestamp with time zone'));
    const wall = (z: Zoned | undefined, arg: Node) => c.build(fn('athena_wall', [instantOf(z, arg), zone]));
    return c.build(fn('date_diff', [c.visit(args[0] as Node), wall(first, args[1] as Node), wall(second, args[2] as Node)]));
  }
  if (
    !isZoned(args[0]) ||
    (name !== 'timezone' &&
      name !== 'timezone_hour' &&
      name !== 'timezone_minute' &&
      name !== 'to_unixtime' &&
      name !== 'to_iso8601' &&
      !WALL_CLOCK_FUNCTIONS.has(name))
  )
    return undefined;
  const z = zoned(args[0], c) as Zoned;
  const offset = () => c.build(fn('athena_offset_minutes', [z.instant, z.zone]));
  switch (name) {
    case 'timezone':
      return z.zone;
    case 'timezone_hour':
      return c.build(binary('div', offset(), c.build(num(60))));
    case 'timezone_minute':
      return c.build(binary('mod', offset(), c.build(num(60))));
    case 'to_unixtime':
      return c.build(fn('to_unixtime', [z.instant]));
    case 'to_iso8601':
      return c.build(fn('athena_zoned_iso8601', [z.instant, z.zone]));
    default:
      if (WALL_CLOCK_FUNCTIONS.has(name)) (bodyOf(node)['args'] as Node[])[0] = wallOf(z, c);
      return undefined;
  }
}

function zonedExtract(node: Node, c: ZoneContext): Node | undefined {
  const body = bodyOf(node);
  if (!isZoned(body['this'])) return undefined;
  const field = String(body['field']);
  if (field === 'TimezoneHour' || field === 'TimezoneMinute')
    return zonedCall(node, field === 'TimezoneHour' ? 'timezone_hour' : 'timezone_minute', [body['this'] as Node], c);
  body['this'] = wallOf(zoned(body['this'], c) as Zoned, c);
  return undefined;
}

/** CAST of a zoned time: to a date or a timestamp, its wall clock; to varchar, its text (as Athena writes it). */
function zonedCast(node: Node, c: ZoneContext): Node | undefined {
  const body = bodyOf(node);
  const z = zoned(body['this'], c) as Zoned;
  const type = String((body['to'] as { data_type?: string } | undefined)?.data_type);
  if (type === 'var_char' || type === 'text' || type === 'varchar') return textOf(z, c);
  if (type === 'date' || (type === 'timestamp' && !(body['to'] as { timezone?: boolean }).timezone)) {
    body['this'] = wallOf(z, c);
    return undefined;
  }
  body['this'] = z.instant;
  return undefined;
}

export const ZONE_REFUSAL = unsupported(
  'a time with a time zone (AT TIME ZONE, at_timezone, with_timezone, from_unixtime with a zone) used here',
  'select it, compare it, or use it in hour(), day(), date_format(), date_trunc(), date_add(), date_diff(), to_unixtime(), timezone_hour() and the like; CAST(… AS timestamp) gives its wall clock',
);

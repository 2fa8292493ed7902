import { alias, bodyOf, callOf, isNode, kindOf, str, type Node } from './ast';
import { ATHENA_FUNCTION_NAMES } from './functions';
import { rewriteWindow, rewriteWithinGroup } from './rewrite-aggregates';
import { bindAggregateArguments } from './rewrite-bind';
import { rewriteCall } from './rewrite-calls';
import { rewriteCast } from './rewrite-casts';
import { JSON_KINDS, rewriteJson } from './rewrite-json';
import { checkFunctionName } from './rewrite-names';
import { isZoned, textOf, ZONE_REFUSAL, zonedArithmetic, zonedOf, zonedUse, type Zoned, type ZoneContext } from './rewrite-zones';
import {
  rewriteArithmetic,
  rewriteExtract,
  rewriteIf,
  rewriteInterval,
  rewriteIntervalArithmetic,
  rewriteLiteral,
  rewriteLog,
  rewriteNormalize,
  rewriteComparison,
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
      if (isZoned(node)) return textOf((zonedOf(node, this.zones) ?? zonedArithmetic(node, this.zones)) as Zoned, this.zones);
      const literal = bodyOf(node);
      const text = kindOf(node) === 'literal' && literal['literal_type'] === 'timestamp' ? timestampLiteralText(String(literal['value'])) : undefined;
      if (text) return this.built(str(text));
    }
    return this.visit(node) as Node;
  }

  /** What the zoned-time rewrites need of this rewriter. */
  private readonly zones: ZoneContext = { visit: (node) => this.visit(node) as Node, build: (node) => this.built(node) };

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
    if (call) checkFunctionName(String(bodyOf(value)['name'] ?? call.name), () => ATHENA_FUNCTION_NAMES);
    const used = zonedUse(value, this.zones);
    if (used) return used;
    if (isZoned(value)) throw ZONE_REFUSAL;
    if (call?.name === 'grouping sets') this.groupingSets(call.args);
    this.children(bodyOf(value));
    const build = (node: Node) => this.built(node);
    return bindAggregateArguments(rewriteNode(value, build), build);
  }

  /** GROUPING SETS ((a, b), ()): its sets are lists of columns, not rows; only what they hold is rewritten. */
  private groupingSets(sets: Node[]): void {
    for (const set of sets.filter((s) => kindOf(s) === 'tuple')) {
      this.children(bodyOf(set));
      this.built(set);
    }
  }

  private children(fields: Node): void {
    for (const key of Object.keys(fields)) fields[key] = this.visit(fields[key]);
  }
}

type Build = (node: Node) => Node;

/** One node, its children already rewritten. */
function rewriteNode(node: Node, build: Build): Node {
  if (JSON_KINDS.has(kindOf(node))) return rewriteJson(node, build);
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
    case 'window_function':
      return rewriteWindow(node, build);
    case 'within_group':
      return rewriteWithinGroup(node, build);
    case 'interval':
      return rewriteInterval(node, build);
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
    case 'eq':
    case 'neq':
    case 'lt':
    case 'gt':
    case 'lte':
    case 'gte':
      return rewriteComparison(node, build);
    case 'tuple':
      return rewriteRow(node, build);
    default:
      return node;
  }
}

import { binary, bodyOf, callOf, fn, isNode, kindOf, num, str, stringLiteral, type Node } from './ast';
import { unsupported } from './errors';
import { REFUSED_GROUPS } from './functions';
import { REFUSED_TYPES } from './functions/groups';
import { at, column, lambda, list, struct, type Build } from './rewrite-lambdas';

/**
 * CAST and TRY_CAST as Trino casts. DuckDB's own casts differ silently ('1.5' and 2.5e0 to an integer, 'yes' to a
 * boolean, 'inf' to a double; element by element inside arrays and maps): each scalar target has a macro that
 * casts as Trino does (`macros/casts.ts`), and nested types are cast element by element through them. A JSON
 * value casts by Trino's JSON rules (`athena_json_to_<type>`): the translation knows a value is JSON by what made
 * it (JSON '…', json_parse, json_extract, CAST(… AS JSON)); Athena's tables have no JSON columns.
 */

/** The parser's type node: `{ data_type: 'int' }`, `{ data_type: 'array', element_type }`, … */
type DataType = Node & { data_type?: string };

/** The scalar targets with a macro of their own, by the parser's name: athena_cast_<name>, athena_json_to_<name>. */
const SCALAR_CASTS: Readonly<Record<string, string>> = {
  tiny_int: 'tinyint',
  small_int: 'smallint',
  int: 'integer',
  big_int: 'bigint',
  double: 'double',
  float: 'real',
  boolean: 'boolean',
  date: 'date',
  var_binary: 'varbinary',
};

/** The calls whose value is JSON (translated: JSON '…' is json_parse, CAST(… AS JSON) is to_json, json_extract athena_json_extract). */
const JSON_MAKERS = new Set(['json_parse', 'json', 'to_json', 'athena_json_extract']);

const isJson = (node: Node) => kindOf(node) === 'parse_json' || JSON_MAKERS.has(callOf(node)?.name ?? '');

/** Trino's ROW(…) with unnamed fields prints them as field0, field1, … */
const fieldName = (field: { name?: string }, i: number) => (field.name ? field.name : `field${i}`);

/** DECIMAL without precision: a literal's own (`DECIMAL '12.50'` is decimal(4,2)); otherwise Trino's decimal(38,0). */
function decimalTypeOf(literal: string | undefined): { precision: number; scale: number } {
  const digits = /^\s*[+-]?(\d*)(?:\.(\d*))?\s*$/.exec(literal ?? '');
  if (!digits) return { precision: 38, scale: 0 };
  const [, whole = '', fraction = ''] = digits;
  return { precision: Math.max(1, whole.length + fraction.length), scale: fraction.length };
}

const plainCast = (value: Node, to: DataType): Node => ({
  cast: { this: value, to, trailing_comments: [], double_colon_syntax: false, format: null, default: null },
});

/** The value cast to the type, as Trino casts it; `json` when the value is JSON. */
function castValue(value: Node, to: DataType, json: boolean, build: Build, depth: number): Node {
  const type = String(to.data_type);
  const scalar = SCALAR_CASTS[type];
  if (scalar) return build(fn(json ? `athena_json_to_${scalar}` : `athena_cast_${scalar}`, [value]));
  switch (type) {
    case 'var_char': {
      const text = build(fn(json ? 'athena_json_to_varchar' : 'athena_varchar', [value]));
      return typeof to['length'] === 'number' ? build(fn('substr', [text, build(num(1)), build(num(to['length']))])) : text;
    }
    case 'decimal': {
      const template = build(plainCast(build({ null: {} }), to));
      // A string literal is read by DuckDB as Trino reads it (rounded half up); anything else through the macro.
      if (!json && stringLiteral(value) !== undefined) return build(plainCast(value, to));
      return build(fn(json ? 'athena_json_to_decimal' : 'athena_to_decimal', [value, template]));
    }
    case 'json':
      return json ? value : build(fn('to_json', [value]));
    case 'array':
      return castArray(value, to, json, build, depth);
    case 'map':
      return castMap(value, to, json, build, depth);
    case 'struct':
      return castRow(value, to, json, build, depth);
    case 'timestamp':
      if (to['precision'] != null) to['precision'] = null; // timestamps are timestamp(3) already
      return build(plainCast(value, to));
    case 'custom':
      return refusedType(String(to['name']), value, to, build);
    default:
      return build(plainCast(value, to));
  }
}

/** A type of a refused group (IPADDRESS, HyperLogLog …) is refused with its group. */
function refusedType(name: string, value: Node, to: DataType, build: Build): Node {
  const group = REFUSED_GROUPS.find((g) => g.group === REFUSED_TYPES.get(name.toLowerCase()));
  if (group) throw unsupported(`the ${name.toUpperCase()} type`, group.instead, name);
  return build(plainCast(value, to));
}

/** An array, element by element (a JSON array's elements as JSON). */
function castArray(value: Node, to: DataType, json: boolean, build: Build, depth: number): Node {
  const element = `athena_c${depth}`;
  const list = json ? build(plainCast(value, { data_type: 'custom', name: 'JSON[]' })) : value;
  const each = castValue(build(column(element)), to['element_type'] as DataType, json, build, depth + 1);
  return build(fn('list_transform', [list, lambda([element], each)]));
}

/** A map, key by key and value by value (a JSON object's keys as text, its values as JSON). */
function castMap(value: Node, to: DataType, json: boolean, build: Build, depth: number): Node {
  const entry = `athena_c${depth}`;
  const map = json ? build(plainCast(value, { data_type: 'custom', name: 'MAP(VARCHAR, JSON)' })) : value;
  const key = castValue(build(column('key', entry)), to['key_type'] as DataType, false, build, depth + 1);
  const item = castValue(build(column('value', entry)), to['value_type'] as DataType, json, build, depth + 1);
  const entries = build(
    fn('list_transform', [
      build(fn('athena_map_entries', [map])),
      lambda(
        [entry],
        struct(
          [
            ['key', key],
            ['value', item],
          ],
          build,
        ),
      ),
    ]),
  );
  return build(fn('map_from_entries', [entries]));
}

/** A row, field by field in order (Trino casts rows by position, DuckDB's structs by name); from JSON, an array by position, an object by name. */
function castRow(value: Node, to: DataType, json: boolean, build: Build, depth: number): Node {
  const fields = (Array.isArray(to['fields']) ? to['fields'] : []) as { name?: string; data_type: DataType }[];
  const rowOf = (item: (field: { name?: string }, i: number) => Node, fromJson: boolean) =>
    struct(
      fields.map((field, i) => [fieldName(field, i), castValue(item(field, i), field.data_type, fromJson, build, depth + 1)] as const),
      build,
    );
  if (!json) return rowOf((_, i) => build(fn('struct_extract_at', [value, build(num(i + 1))])), false);
  const member = (path: string) => build(fn('json_extract', [value, build(str(path))]));
  const byPosition = rowOf((_, i) => member(`$[${i}]`), true);
  const byName = rowOf((field, i) => member(`$."${fieldName(field, i).replaceAll('"', '')}"`), true);
  const isArray = build(binary('eq', build(fn('json_type', [value])), build(str('ARRAY'))));
  return build(fn('if', [isArray, byPosition, byName]));
}

/** A value cast to a type as Trino casts it (json_value … RETURNING type). */
export const castTo = (value: Node, to: Node, build: Build): Node => castOnce(value, to as DataType, build);

/**
 * The cast of a computed value binds it once (DuckDB's macros repeat an argument where they use it: a cast of a
 * JSON function's value would bind that function a dozen times over): `list_transform([value], v -> cast(v))[1]`.
 */
function castOnce(value: Node, to: DataType, build: Build): Node {
  const json = isJson(value);
  if (['column', 'literal', 'null'].includes(kindOf(value))) return castValue(value, to, json, build, 0);
  const bound = 'athena_cast_value';
  const cast = castValue(build(column(bound)), to, json, build, 0);
  return at(build(fn('list_transform', [list([value], build), lambda([bound], cast)])), build(num(1)), build);
}

/** CAST(x AS type) and TRY_CAST(x AS type) (TRY of the cast: Athena's errors are catchable). */
export function rewriteCast(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const to = (isNode(body['to']) ? body['to'] : {}) as DataType;
  const value = body['this'];
  if (!isNode(value)) return node;
  if (to.data_type === 'decimal' && to['precision'] == null) Object.assign(to, decimalTypeOf(stringLiteral(value)));
  const cast = castOnce(value, to, build);
  return 'try_cast' in node ? build(fn('try', [cast])) : cast;
}

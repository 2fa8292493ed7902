import { binary, bodyOf, fn, isNode, kindOf, num, str, stringLiteral, type Node } from './ast';
import { unsupported } from './errors';
import { constructorOptions, QUERY_OPTIONS, VALUE_OPTIONS } from './functions/json';
import { refuseForm } from './refusals';
import { castTo } from './rewrite-casts';
import { at, column, lambda, list, type Build } from './rewrite-lambdas';

/**
 * Athena's JSON functions, their paths converted while they are constants: the JSONPath of json_extract
 * (`$.store.book[0]`, `$["a b"]`, `$.store[book]`) and the SQL/JSON path of json_exists, json_value and json_query
 * (`lax $.a[0]`, `strict $.a[last]`), both to DuckDB's (`$."store"."book"[0]`). What a path can do beyond that
 * (wildcards, filters, item methods, arithmetic, variables) is refused by the table's rows.
 */

type Step = { readonly key: string } | { readonly index: number } | { readonly last: number };

const duckdbStep = (step: Step) => ('key' in step ? `."${step.key}"` : 'index' in step ? `[${step.index}]` : `[#-${step.last + 1}]`);
const duckdbPath = (steps: readonly Step[]) => `$${steps.map(duckdbStep).join('')}`;

/** The steps of json_extract's JSONPath; undefined for what it is not. */
function legacySteps(path: string): Step[] | undefined {
  const steps: Step[] = [];
  const step = /\.([^.[\]"]+)|\[(\d+)\]|\["([^"]*)"\]|\[([^\]"\d][^\]"]*)\]/y;
  if (!path.startsWith('$')) return undefined;
  step.lastIndex = 1;
  for (let match = step.exec(path); match; match = step.exec(path)) {
    const [, dotted, index, quoted, bare] = match;
    steps.push(index !== undefined ? { index: Number(index) } : { key: (dotted ?? quoted ?? bare ?? '').trim() });
    if (step.lastIndex === path.length) return steps;
  }
  return path.length === 1 ? steps : undefined;
}

/** The mode and steps of an SQL/JSON path; undefined for what the local engine can't follow. */
function sqlJsonSteps(path: string): { strict: boolean; steps: Step[] } | undefined {
  const mode = /^\s*(lax|strict)\s+\$/.exec(path);
  if (!mode) return undefined;
  const steps: Step[] = [];
  const step = /\s*(?:\.([A-Za-z_][\w]*)|\."([^"\\]*)"|\[\s*(\d+)\s*\]|\[\s*last(?:\s*-\s*(\d+))?\s*\])/y;
  step.lastIndex = mode[0].length;
  while (step.lastIndex < path.trimEnd().length) {
    const match = step.exec(path);
    if (!match) return undefined;
    const [, name, quoted, index, fromLast] = match;
    steps.push(
      index !== undefined
        ? { index: Number(index) }
        : name !== undefined || quoted !== undefined
          ? { key: name ?? quoted ?? '' }
          : { last: Number(fromLast ?? 0) },
    );
  }
  return { strict: mode[1] === 'strict', steps };
}

/** `make(json)` with a computed JSON value bound once (DuckDB's macros repeat an argument wherever they use it). */
function onceFor(json: Node, build: Build, make: (bound: Node) => Node): Node {
  if (['column', 'literal', 'null'].includes(kindOf(json))) return make(json);
  const name = 'athena_json';
  return at(build(fn('list_transform', [list([json], build), lambda([name], make(build(column(name))))])), build(num(1)), build);
}

/** A JSON text with its objects' keys sorted, as Athena's json_parse writes it (numbers as written); undefined if no JSON. */
export function sortedJson(text: string): string | undefined {
  const RAW = Symbol('raw');
  type Raw = { [RAW]: string };
  // A number keeps its text (JSON.parse's source text access); where the engine lacks it, the macro sorts instead.
  const reviver = (_key: string, value: unknown, context?: { source?: string }) => {
    if (typeof value !== 'number') return value;
    if (context?.source === undefined) throw new Error('no source text');
    return { [RAW]: context.source };
  };
  const write = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      if (RAW in value) return (value as Raw)[RAW];
      return `{${Object.keys(value)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key])}`)
        .join(',')}}`;
    }
    return JSON.stringify(value);
  };
  try {
    return write(JSON.parse(text, reviver as (key: string, value: unknown) => unknown));
  } catch {
    return undefined;
  }
}

/** JSON '…' and json_parse('…'): the literal's keys sorted now, at no cost in DuckDB; a computed text by the macro. */
function parsed(text: Node, build: Build): Node {
  const literal = stringLiteral(text);
  const sorted = literal === undefined ? undefined : sortedJson(literal);
  return sorted === undefined ? build(fn('json_parse', [text])) : build(fn('json', [build(str(sorted))]));
}

const pathOf = (node: unknown, name: string): string => {
  const path = isNode(node) ? stringLiteral(node) : undefined;
  if (path === undefined) throw unsupported(`${name} with a path that is not a string literal`, `write the path as a literal, e.g. ${name}(j, '$.a')`, name);
  return path;
};

/** json_extract, json_extract_scalar and json_size: JSONPath. */
function rewriteLegacy(name: string, json: Node, pathNode: unknown, build: Build): Node {
  const steps = legacySteps(pathOf(pathNode, name));
  if (!steps || steps.some((s) => 'key' in s && /["\\]/.test(s.key))) refuseForm(name, `${name} with a path other than $.a, $["a"] and $[0]`);
  return onceFor(json, build, (bound) => build(fn(`athena_${name}`, [bound, build(str(duckdbPath(steps)))])));
}

/**
 * json_exists, json_value, json_query: a lax path reads an array where a member is asked for (and a value where
 * an index is) by unwrapping it, which DuckDB's paths don't: such a document is refused at run time.
 */
function rewriteSqlJson(name: string, json: Node, pathNode: unknown, build: Build, macro = name, extra: Node[] = []): Node {
  const path = sqlJsonSteps(pathOf(pathNode, name));
  if (!path) return refuseForm(name, `${name} with wildcards, filters, item methods or arithmetic in the path`);
  return onceFor(json, build, (bound) => {
    const call = build(fn(`athena_${macro}`, [bound, build(str(duckdbPath(path.steps))), ...extra]));
    if (path.strict) return call;
    const checks = path.steps.map((step, i) => {
      const type = build(fn('athena_json_type', [bound, build(str(duckdbPath(path.steps.slice(0, i))))]));
      return build(fn('coalesce', [build(binary('neq', type, build(str('key' in step ? 'OBJECT' : 'ARRAY')))), bool(false, build)]));
    });
    const flags = build(fn('list_bool_or', [list([...checks, bool(false, build)], build)]));
    return build(fn('athena_json_lax', [flags, call]));
  });
}

const bool = (value: boolean, build: Build) => build({ boolean: { value } });

/** json_query's options: its macro (OMIT QUOTES gives text) and its arguments after the path (the array wrapper). */
function jsonQueryOptions(body: Node, build: Build): { name: string; extra: Node[] } {
  const wrapper = String(body['wrapper_option'] ?? '');
  if (/CONDITIONAL/i.test(wrapper) && !/UNCONDITIONAL/i.test(wrapper)) refuseForm('json_query', QUERY_OPTIONS);
  const wrapped = /^WITH/i.test(wrapper);
  const omitted = /OMIT/i.test(String(body['quotes_option'] ?? ''));
  if (omitted && wrapped) refuseForm('json_query', QUERY_OPTIONS);
  return omitted ? { name: 'json_query_text', extra: [] } : { name: 'json_query', extra: [bool(wrapped, build)] };
}

function checkDefaults(name: 'json_value' | 'json_query', body: Node): void {
  const onError = body['on_error'];
  if (onError != null && !/^NULL ON ERROR$/i.test(String(onError))) refuseForm(name, name === 'json_query' ? QUERY_OPTIONS : VALUE_OPTIONS);
}

/** json_array(…) and json_object(…): each value as its JSON text, NULL as null or left out (ABSENT ON NULL). */
function rewriteConstructor(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const isArray = kindOf(node) === 'j_s_o_n_array';
  const handling = JSON.stringify(body['null_handling'] ?? '');
  const absent = isArray ? !/NULL ON NULL/i.test(handling) : /Absent/i.test(handling);
  if (body['return_type'] != null || body['returning_type'] != null || body['with_unique_keys'] === true || body['format_json'] === true) {
    refuseForm(isArray ? 'json_array' : 'json_object', constructorOptions(isArray ? 'json_array' : 'json_object'));
  }
  const items = isArray
    ? ((body['expressions'] as Node[]) ?? []).map((value) => build(fn('athena_json_element', [value, bool(absent, build)])))
    : ((body['pairs'] as Node[][]) ?? []).map(([key, value]) => build(fn('athena_json_member', [key as Node, value as Node, bool(absent, build)])));
  const joined = build(fn('array_to_string', [list(items, build), build(str(','))]));
  return build(fn('json', [build(fn('concat', [build(str(isArray ? '[' : '{')), joined, build(str(isArray ? ']' : '}'))]))]));
}

/** The JSON kinds the parser reads (json_extract, json_query, JSON '…', json_array …), and the JSON calls by name. */
export function rewriteJson(node: Node, build: Build): Node {
  const kind = kindOf(node);
  const body = bodyOf(node);
  const json = body['this'] as Node;
  switch (kind) {
    case 'parse_json':
      return parsed(json, build);
    case 'json_extract':
    case 'json_extract_scalar':
      return rewriteLegacy(kind, json, body['path'], build);
    case 'json_value': {
      checkDefaults(kind, body);
      const text = rewriteSqlJson(kind, json, body['path'], build);
      return isNode(body['returning']) ? castTo(text, body['returning'], build) : text;
    }
    case 'json_query': {
      checkDefaults(kind, body);
      const { name, extra } = jsonQueryOptions(body, build);
      return rewriteSqlJson(kind, json, body['path'], build, name, extra);
    }
    case 'j_s_o_n_array':
    case 'json_object':
      return rewriteConstructor(node, build);
    default:
      return node;
  }
}

/** json_size(j, path) and json_exists(j, path), which the parser reads as plain calls. */
export const JSON_CALL_REWRITES: Record<string, (args: Node[], build: Build) => Node> = {
  json_size: (args, build) => rewriteLegacy('json_size', args[0] as Node, args[1], build),
  json_exists: (args, build) => rewriteSqlJson('json_exists', args[0] as Node, args[1], build),
  json_parse: (args, build) => parsed(args[0] as Node, build),
};

export const JSON_KINDS = new Set(['parse_json', 'json_extract', 'json_extract_scalar', 'json_value', 'json_query', 'j_s_o_n_array', 'json_object']);

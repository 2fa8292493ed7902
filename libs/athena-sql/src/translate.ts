import { kindOf, type Node } from './ast';
import { AthenaSqlError } from './errors';
import { Rewriter } from './rewrite';

/**
 * Athena engine v3 (Trino) SQL → SQL for DuckDB with the macros of `macros.ts`. polyglot parses the text as Athena
 * SQL; the tree is rewritten (`rewrite.ts`); polyglot prints it back as Trino SQL, which DuckDB reads. polyglot's
 * own Athena → DuckDB translation is not used: measured over 120 constructs it got 70 right, against 114 this way.
 *
 * The parser is a WebAssembly module: `initTranslator` instantiates it from its bytes (the caller reads the file,
 * so this library does no I/O), once; `translate` is then synchronous, about half a millisecond a query. Its
 * JavaScript is loaded then too, not with this module: a query that needs no translation never loads it.
 */
type Polyglot = typeof import('@polyglot-sql/sdk/manual');

let polyglot: Polyglot | undefined;

export async function initTranslator(wasm: Uint8Array | ArrayBuffer): Promise<void> {
  const module = await import('@polyglot-sql/sdk/manual');
  // The manual build takes the module's bytes as well as a URL; it then never touches fetch (the default build
  // replaces globalThis.fetch to read its file).
  await module.init({ wasmUrl: wasm as unknown as string });
  polyglot = module;
}

export const translatorReady = (): boolean => polyglot !== undefined;

/** What each kind of statement is called in a refusal. */
const STATEMENT_NAMES: Record<string, string> = {
  copy: 'COPY … TO',
  insert: 'INSERT',
  update: 'UPDATE',
  delete: 'DELETE',
  merge: 'MERGE',
  create: 'CREATE',
  create_table: 'CREATE TABLE',
  create_view: 'CREATE VIEW',
  drop: 'DROP',
  drop_table: 'DROP TABLE',
  alter_table: 'ALTER TABLE',
  describe: 'DESCRIBE/EXPLAIN',
  show: 'SHOW',
  use: 'USE',
  set: 'SET',
};

export function notAQueryMessage(statement: string): string {
  return `${statement}: a local query only reads the lake's tables: one SELECT (or WITH … SELECT); it can't write files, change settings, attach databases or load extensions`;
}

const QUERY_KINDS = new Set(['select', 'union', 'intersect', 'except', 'values', 'subquery']);

function parseOne({ parse }: Polyglot, sql: string): Node {
  const parsed = parse(sql, 'athena' as Parameters<Polyglot['parse']>[1]);
  if (!parsed.success) {
    const reason = (parsed.error ?? 'not valid SQL').replace(/^Parse error at line \d+, column \d+: /, '');
    const position = parsed.errorLine && parsed.errorColumn ? { line: parsed.errorLine, column: parsed.errorColumn } : undefined;
    throw new AthenaSqlError('syntax', `syntax error${position ? ` at line ${position.line}, column ${position.column}` : ''}: ${reason}`, position);
  }
  const statements = (parsed.ast as unknown as Node[]).filter((node) => kindOf(node) !== 'semicolon');
  if (statements.length !== 1) throw new AthenaSqlError('not-a-query', `${statements.length} statements: a local query is one statement`);
  const [statement] = statements as [Node];
  const kind = kindOf(statement);
  if (QUERY_KINDS.has(kind)) return statement;
  // A statement the parser keeps as text (RESET, VACUUM …) is named by its first word.
  const name = kind === 'command' ? (sql.trim().split(/\s+/)[0] ?? '').toUpperCase() : STATEMENT_NAMES[kind];
  // Text the parser took for something that is no statement at all ("SELEC x" is an expression with an alias).
  if (!name) throw new AthenaSqlError('syntax', 'syntax error: not a query; a local query is one SELECT (or WITH … SELECT)');
  throw new AthenaSqlError('not-a-query', notAQueryMessage(name));
}

/** Athena SQL → DuckDB SQL; an AthenaSqlError says why not (a syntax error, a construct refused, not a query). */
export function translate(sql: string): string {
  if (!polyglot) throw new Error('translate() before initTranslator()');
  const statement = new Rewriter(polyglot.ast.isExpressionValue).statement(parseOne(polyglot, sql));
  const generated = polyglot.generate([statement], 'trino' as Parameters<Polyglot['generate']>[1]);
  if (!generated.success || !generated.sql) throw new AthenaSqlError('unsupported', `the translation failed: ${generated.error ?? 'no SQL generated'}`);
  return generated.sql.join(';\n');
}

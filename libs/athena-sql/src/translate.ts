import { kindOf, type Node } from './ast';
import { AthenaSqlError, type SqlPosition } from './errors';
import { withTypedLiterals } from './literals';
import { IGNORE_NULLS_MARK } from './rewrite-aggregates';
import { Rewriter } from './rewrite';
import { checkParserAliases } from './rewrite-names';

/**
 * Athena engine v3 (Trino) SQL → SQL for DuckDB with the macros of `macros/`. polyglot parses the text as Trino
 * SQL (Athena's queries are Trino's: a backslash in a string is an ordinary character); the tree is rewritten
 * (`rewrite.ts`); polyglot prints it back as Trino SQL, which DuckDB reads. polyglot's own Athena → DuckDB
 * translation is not used: measured over 120 constructs it got 70 right, against 114 this way.
 *
 * The parser is a WebAssembly module: `createTranslator` instantiates it from its bytes (the caller reads the file,
 * so this library does no I/O) and hands out a translator; `translate` is then synchronous, about half a
 * millisecond a query. Its JavaScript is loaded then too, not with this module: a query that needs no translation
 * never loads it.
 */
type Polyglot = typeof import('@polyglot-sql/sdk/manual');

export interface Translator {
  /** Athena SQL → DuckDB SQL; an AthenaSqlError says why not (a syntax error, a construct refused, not a query). */
  translate(sql: string): string;
}

export async function createTranslator(wasm: Uint8Array | ArrayBuffer): Promise<Translator> {
  const polyglot = await import('@polyglot-sql/sdk/manual');
  // The manual build takes the module's bytes as well as a URL; it then never touches fetch (the default build
  // replaces globalThis.fetch to read its file). The module is instantiated once per JavaScript realm.
  if (!polyglot.isInitialized()) await polyglot.init({ wasmUrl: wasm as unknown as string });
  return new PolyglotTranslator(polyglot);
}

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
const DIALECT = 'trino' as Parameters<Polyglot['parse']>[1];

type Token = { text: string; span: { start: number; end: number; line: number; column: number } };

class PolyglotTranslator implements Translator {
  constructor(private readonly polyglot: Polyglot) {}

  translate(sql: string): string {
    try {
      checkParserAliases(sql, () => this.tokens(sql));
      const statement = new Rewriter(this.polyglot.ast.isExpressionValue).statement(this.parseOne(sql));
      const generated = this.polyglot.generate([statement], DIALECT);
      if (!generated.success || !generated.sql) throw new AthenaSqlError('unsupported', `the translation failed: ${generated.error ?? 'no SQL generated'}`);
      return withIgnoreNulls(generated.sql.join(';\n'));
    } catch (error) {
      throw error instanceof AthenaSqlError && error.word && !error.position ? this.located(error, sql) : error;
    }
  }

  private parse(sql: string) {
    return this.polyglot.parse(sql, DIALECT);
  }

  private parseOne(sql: string): Node {
    let parsed = this.parse(sql);
    if (!parsed.success) {
      // Typed literals (BIGINT '1', REAL '1.5', VARBINARY 'x'), which the parser lacks, as the casts they are.
      const rewritten = withTypedLiterals(sql, this.tokens(sql));
      const retried = rewritten === undefined ? undefined : this.parse(rewritten);
      if (!retried?.success) throw this.syntaxError(sql, parsed.error, parsed.errorLine, parsed.errorColumn);
      parsed = retried;
    }
    const statements = (parsed.ast as unknown as Node[]).filter((node) => kindOf(node) !== 'semicolon');
    if (statements.length !== 1) throw new AthenaSqlError('not-a-query', `${statements.length} statements: a local query is one statement`);
    const [statement] = statements as [Node];
    const kind = kindOf(statement);
    if (QUERY_KINDS.has(kind)) return statement;
    // A statement the parser keeps as text (RESET, VACUUM …) is named by its first word (FORCE CHECKPOINT by both).
    const name = kind === 'command' ? (/^\s*(FORCE\s+CHECKPOINT\b|\S*)/i.exec(sql)?.[1] ?? '').replace(/\s+/, ' ').toUpperCase() : STATEMENT_NAMES[kind];
    // Text the parser took for something that is no statement at all ("SELEC x" is an expression with an alias).
    if (!name) throw new AthenaSqlError('syntax', 'syntax error: not a query; a local query is one SELECT (or WITH … SELECT)');
    throw new AthenaSqlError('not-a-query', notAQueryMessage(name));
  }

  private tokens(sql: string): Token[] {
    const result = this.polyglot.tokenize(sql, DIALECT);
    return result.success ? (result.tokens as unknown as Token[]) : [];
  }

  /**
   * The parser's error, at the start of the token it stopped at: the parser counts columns from the token's end.
   * Tokenizing errors (an unterminated string) keep the parser's position.
   */
  private syntaxError(sql: string, error: string | null | undefined, line?: number | null, column?: number | null): AthenaSqlError {
    const reason = (error ?? 'not valid SQL').replace(/^(?:Parse|Tokenization) error at line \d+, column \d+: /, '');
    if (!line || !column) return new AthenaSqlError('syntax', `syntax error: ${reason}`);
    const token = this.tokens(sql).find((t) => t.span.line === line && t.span.column === column);
    const position = { line, column: token ? column - (token.span.end - token.span.start) : column };
    return new AthenaSqlError('syntax', `syntax error at line ${position.line}, column ${position.column}: ${reason}`, position);
  }

  /** A refusal about a word of the query (a function's name), with where that word first stands. */
  private located(error: AthenaSqlError, sql: string): AthenaSqlError {
    const word = error.word?.toLowerCase();
    const token = this.tokens(sql).find((t) => t.text.toLowerCase() === word);
    return token ? error.at(positionOf(sql, token.span.start)) : error;
  }
}

/**
 * `ATHENA_IGNORE_NULLS(x)` (the mark `rewrite-aggregates.ts` puts on a window function's last argument) as DuckDB
 * reads IGNORE NULLS: `x IGNORE NULLS`. Strings and quoted names are skipped while the parentheses are matched.
 */
function withIgnoreNulls(sql: string): string {
  const mark = `${IGNORE_NULLS_MARK.toUpperCase()}(`;
  let out = sql;
  for (let start = out.indexOf(mark); start >= 0; start = out.indexOf(mark)) {
    let depth = 1;
    let i = start + mark.length;
    for (; i < out.length && depth > 0; i++) {
      const char = out[i];
      if (char === "'" || char === '"') i = out.indexOf(char, i + 1) + (out[out.indexOf(char, i + 1) + 1] === char ? 1 : 0);
      else if (char === '(') depth++;
      else if (char === ')') depth--;
    }
    out = `${out.slice(0, start)}${out.slice(start + mark.length, i - 1)} IGNORE NULLS${out.slice(i)}`;
  }
  return out;
}

/** 1-based line and column of a character offset. */
function positionOf(sql: string, offset: number): SqlPosition {
  const before = sql.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

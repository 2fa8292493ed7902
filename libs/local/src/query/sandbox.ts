import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { notAQueryMessage } from '@lakehouse/athena-sql';
import { displayPath, LakehouseError } from '@lakehouse/runtime';
import { quoteLiteral } from '../duckdb';

/**
 * What a local query may do: read the lake's tables (and the catalog's views over them), nothing else. Two locks,
 * because neither holds alone:
 * - DuckDB's own settings, locked: no file outside the table folders can be read or written (read_text, read_csv,
 *   COPY … TO elsewhere, EXPORT DATABASE, ATTACH of a file, a symlink out of the lake), no extension installed or
 *   loaded, no setting changed.
 * - Before anything runs, the statement itself: exactly one, and a SELECT. The settings alone let `COPY … TO` write
 *   into the lake's own folders (a Parquet file that doubled every count), `CREATE OR REPLACE VIEW` hijack a table,
 *   and `ATTACH ':memory:'`, `CREATE TABLE` or `CHECKPOINT` run.
 */
export async function lockDown(connection: DuckDBConnection, folders: readonly string[]): Promise<void> {
  const allowed = folders.map((folder) => quoteLiteral(`${folder.replace(/\/$/, '')}/`)).join(', ');
  // Without this DuckDB silently allows its default temp folder (./.tmp) for spilling, reads and writes alike.
  await connection.run("SET temp_directory = ''");
  // Allowed directories must be set while external access is still on: afterwards the setting is refused.
  await connection.run(`SET allowed_directories = [${allowed}]`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET autoinstall_known_extensions = false');
  await connection.run('SET autoload_known_extensions = false');
  await connection.run('SET lock_configuration = true');
}

/** Statement kinds as a refusal names them. */
const STATEMENT_NAMES: Partial<Record<StatementType, string>> = {
  [StatementType.COPY]: 'COPY … TO',
  [StatementType.EXPORT]: 'EXPORT DATABASE',
  [StatementType.COPY_DATABASE]: 'COPY FROM DATABASE',
  [StatementType.ATTACH]: 'ATTACH',
  [StatementType.DETACH]: 'DETACH',
  [StatementType.LOAD]: 'INSTALL/LOAD',
  [StatementType.EXTENSION]: 'INSTALL/LOAD',
  [StatementType.UPDATE_EXTENSIONS]: 'UPDATE EXTENSIONS',
  [StatementType.SET]: 'SET',
  [StatementType.VARIABLE_SET]: 'SET VARIABLE',
  [StatementType.PRAGMA]: 'PRAGMA',
  [StatementType.CALL]: 'CALL',
  [StatementType.CREATE]: 'CREATE',
  [StatementType.CREATE_FUNC]: 'CREATE FUNCTION',
  [StatementType.DROP]: 'DROP',
  [StatementType.ALTER]: 'ALTER',
  [StatementType.INSERT]: 'INSERT',
  [StatementType.UPDATE]: 'UPDATE',
  [StatementType.DELETE]: 'DELETE',
  [StatementType.MERGE_INTO]: 'MERGE',
  [StatementType.EXPLAIN]: 'EXPLAIN',
  [StatementType.TRANSACTION]: 'BEGIN/COMMIT',
  [StatementType.VACUUM]: 'VACUUM',
  [StatementType.ANALYZE]: 'ANALYZE',
};

/**
 * How a refusal names a statement: by its kind, except where DuckDB runs one kind as another (CHECKPOINT is a CALL
 * to a pragma inside DuckDB, which would name it CALL to a user who never wrote one).
 */
function statementName(type: StatementType, sql: string): string {
  const checkpoint = /^\s*(FORCE\s+)?CHECKPOINT\b/i.exec(sql);
  if (checkpoint) return checkpoint[1] ? 'FORCE CHECKPOINT' : 'CHECKPOINT';
  return STATEMENT_NAMES[type] ?? StatementType[type] ?? 'this statement';
}

/** The one SELECT of `sql`, prepared; anything else is refused in one line that says why. */
export async function prepareSelect(connection: DuckDBConnection, sql: string, original = sql): Promise<DuckDBPreparedStatement> {
  let extracted;
  try {
    extracted = await connection.extractStatements(sql);
  } catch (error) {
    throw syntaxError(error, original);
  }
  if (extracted.count !== 1) throw new LakehouseError('query', `${extracted.count} statements: a local query is one statement`);
  const prepared = await extracted.prepare(0);
  const type = prepared.statementType;
  if (type !== StatementType.SELECT) {
    prepared.destroySync();
    throw new LakehouseError('query', notAQueryMessage(statementName(type, sql)));
  }
  return prepared;
}

/**
 * What DuckDB makes of a text: unparsable (undefined), several statements, one statement of a kind, or one it
 * refuses while preparing it (a path outside the lake).
 */
export type StatementKind = { multiple: true } | { multiple: false; select: boolean; name: string } | { refused: unknown };

export async function statementKind(connection: DuckDBConnection, sql: string): Promise<StatementKind | undefined> {
  let extracted;
  try {
    extracted = await connection.extractStatements(sql);
  } catch {
    return undefined;
  }
  if (extracted.count !== 1) return { multiple: true };
  try {
    const prepared = await extracted.prepare(0);
    const type = prepared.statementType;
    prepared.destroySync();
    return { multiple: false, select: type === StatementType.SELECT, name: statementName(type, sql) };
  } catch (error) {
    return { refused: error };
  }
}

/**
 * DuckDB's syntax error in one line, with the line and column in the text as written: DuckDB shows the line (maybe
 * cut, `...` first) with a caret under the mistake.
 */
export function syntaxError(error: unknown, sql: string): LakehouseError {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^Failed to extract statements: /, '');
  const [first = message] = message.split('\n');
  const depth = depthRefusal(first);
  if (depth) return new LakehouseError('query', depth, { cause: error });
  const context = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  let where = '';
  if (context) {
    const [, lineText = '1', shown = '', caret = ''] = context;
    const line = Number(lineText);
    const offset = caret.length - `LINE ${lineText}: `.length;
    const cut = shown.startsWith('...') ? 3 : 0;
    const start = cut ? (sql.split('\n')[line - 1] ?? '').indexOf(shown.slice(3)) : 0;
    where = ` (line ${line}, column ${Math.max(start, 0) + offset - cut + 1})`;
  } else if (/at end of input/.test(first)) {
    const lines = sql.trimEnd().split('\n');
    where = ` (line ${lines.length}, column ${(lines.at(-1) ?? '').length + 1})`;
  }
  return new LakehouseError('query', `${first}${where}`, { cause: error });
}

/** DuckDB's nesting limit, without its advice (SET max_expression_depth), which the locked session refuses. */
function depthRefusal(message: string): string | undefined {
  const depth = /Max expression depth limit of (\d+) exceeded/.exec(message)?.[1];
  if (depth === undefined) return undefined;
  return `the query nests expressions more than ${Number(depth).toLocaleString('en-US')} deep, the local engine's limit (a local query can't change it): simplify the expression, or run it with --target aws`;
}

/** DuckDB's refusals of the locked settings, as what a local query may and may not do. */
export function sandboxRefusal(message: string, folders: readonly string[]): string | undefined {
  // A file named in FROM ('/etc/passwd') is read by a replacement scan, which the lock turns off.
  const path = (/^Permission Error: Cannot access (?:file|directory) "([^"]*)"/.exec(message) ??
    /^Catalog Error: Table with name (\S*[/.]\S*) does not exist/.exec(message))?.[1];
  if (path !== undefined) {
    const lake = folders.map((f) => displayPath(f)).join(', ');
    return `${path} is outside the lake: a local query reads only the lake's tables (${lake})`;
  }
  if (/^Permission Error: .*extensions/i.test(message)) return "a local query can't install or load extensions";
  const depth = depthRefusal(message);
  if (depth) return depth;
  const setting = /Cannot change configuration option "([^"]+)"/.exec(message)?.[1];
  if (setting) return `a local query can't change settings (${setting}): the session is locked`;
  return undefined;
}

// Athena engine v3 (Trino) SQL on DuckDB: the translation, the functions DuckDB lacks, and results printed as
// Athena prints them. Pure: the caller reads the parser's WebAssembly file and runs the SQL.
export { createTranslator, notAQueryMessage } from './translate';
export type { Translator } from './translate';
export { AthenaSqlError } from './errors';
export type { AthenaSqlErrorKind, SqlPosition } from './errors';
export { MACROS, SESSION_SETTINGS, macroScript } from './macros';
export { UNNAMED_COLUMN_PREFIX } from './rewrite';
export { plainQuery } from './plain';
export { mysqlFormat, jodaFormat } from './formats';
export { athenaTypeName, arrayText, dateText, doubleText, entriesText, intervalText, jsonText, realText, timeWithZoneText, timestampText } from './values';
export { FUNCTION_TABLE, REFUSED_GROUPS, SEMANTICS } from './functions';
export type { ChapterTable, FunctionRow, RefusedGroup } from './functions/table';

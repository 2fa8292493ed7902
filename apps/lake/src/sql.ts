/** SQL quoting for DuckDB. */
export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * A file DuckDB could not read as Parquet, from its error: which file, and why in a few words without the path
 * (`File '/…/x.parquet' too small to be a Parquet file` → `too small to be a Parquet file`). Undefined for any
 * other error.
 */
export function parquetProblem(message: string): { file: string; reason: string } | undefined {
  const [first = ''] = message.split('\n');
  const match = /^(?:Invalid Input|IO|Invalid) Error: (.*'([^']+\.parquet)'.*)$/.exec(first);
  if (!match) return undefined;
  const [, text = '', file = ''] = match;
  const reason = text
    .replace(/^Failed to read file '[^']*': /, '')
    .replace(/^File '[^']*' /, '')
    .replace(/ in file '[^']*'/, '')
    .replace(/ '[^']*'/g, '')
    .replace(/[:,.]$/, '')
    .trim();
  return { file, reason: reason.charAt(0).toLowerCase() + reason.slice(1) };
}

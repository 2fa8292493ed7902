import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { createTranslator, type Translator } from '@lakehouse/athena-sql';

let loading: Promise<Translator> | undefined;

const WARM_UP = `WITH t AS (SELECT status, date_format(event_date, '%Y') AS y, count(*) AS n FROM "db"."events"
  WHERE hour >= 0 AND name LIKE 'A%' GROUP BY 1, 2) SELECT *, CAST(n AS varchar) FROM t ORDER BY n DESC LIMIT 10`;

/**
 * Loads the SQL parser (polyglot, a 23 MB WebAssembly module) once per process, for the first query that needs it
 * (plain queries never do), and hands out its translator: about 0.3 s of CPU, instantiating then warming up. V8
 * compiles it with its baseline compiler only: otherwise it recompiles the whole module with its optimizing
 * compiler in the background for seconds (2–4 ms a query meanwhile, 364 MB instead of 118 MB, and DuckDB slowed
 * down), for no gain on a parse that takes half a millisecond; and it validates each function when first compiled,
 * not all 23 MB up front. Node 24's V8 ignores these flags set at run time: processes that may parse SQL start with
 * them (NODE_FLAGS, @lakehouse/runtime).
 */
export function loadTranslator(): Promise<Translator> {
  loading ??= (async () => {
    setFlagsFromString('--liftoff-only');
    setFlagsFromString('--wasm-lazy-validation');
    const wasmFile = createRequire(import.meta.url).resolve('@polyglot-sql/sdk/polyglot_sql.wasm');
    const translator = await createTranslator(await readFile(wasmFile));
    // V8 compiles each function of the module on its first call (about 0.2 s for a first translation): done now,
    // as part of the loading, not in the time of the user's first query.
    translator.translate(WARM_UP);
    return translator;
  })();
  return loading;
}

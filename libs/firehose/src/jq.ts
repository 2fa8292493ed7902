import { createRequire } from 'node:module';

/**
 * A real jq 1.6, the `JsonParsingEngine` Firehose's MetadataExtraction processor names (`JQ-1.6`): jq's own C sources
 * compiled to WebAssembly (npm `jq-web` 0.5.1, the last release that embeds jq 1.6; 0.6.x embeds jq 1.7, which
 * differs, e.g. `limit(0; …)` and `@base32d`). No hand-written subset: what jq 1.6 refuses, this refuses.
 */
export const JQ_VERSION = '1.6';

/** One record's outcome: the values the query yielded for it, or jq's error. */
export type JqOutcome = { ok: true; values: unknown[] } | { ok: false; error: string };

export interface Jq {
  /**
   * Runs `query` over each input (a JSON text), returning one outcome per input, in order. Inputs go through jq
   * in one call (a jq 1.6 call costs ~40 ms of set-up in WebAssembly, a record tens of µs), each wrapped in `try`,
   * so a failure stays with its own record.
   */
  evaluate(query: string, inputs: readonly string[]): JqOutcome[];
  /** jq's compile error for the query (Firehose refuses such a processor), or undefined when it compiles. */
  compileError(query: string): string | undefined;
}

interface JqWebModule {
  raw(input: string, filter: string, flags?: string[]): string;
  onInitialized: { addListener(listener: () => void): void };
}

let loading: Promise<Jq> | undefined;

/** Loads jq once per process (~40 ms, 2.3 MB of WebAssembly); later calls share it. */
export function loadJq(): Promise<Jq> {
  loading ??= loadModule().then((module) => ({
    evaluate: (query, inputs) => evaluateWith(module, query, inputs),
    compileError: (query) => compileErrorOf(module, query),
  }));
  return loading;
}

async function loadModule(): Promise<JqWebModule> {
  const require = createRequire(import.meta.url);
  // The Emscripten loader fetches its .wasm by path when `fetch` exists, which Node's fetch can't; without it, it
  // reads the file from its own folder. It also hooks process-wide error events to abort itself: removed.
  const fetch = globalThis.fetch;
  const hooked = { uncaughtException: process.listeners('uncaughtException'), unhandledRejection: process.listeners('unhandledRejection') };
  let module: JqWebModule;
  try {
    (globalThis as { fetch?: unknown }).fetch = undefined;
    module = require('jq-web/jq.wasm.js') as JqWebModule;
  } finally {
    globalThis.fetch = fetch;
    for (const listener of process.listeners('uncaughtException')) {
      if (!hooked.uncaughtException.includes(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!hooked.unhandledRejection.includes(listener)) process.removeListener('unhandledRejection', listener);
    }
  }
  await new Promise<void>((resolve) => module.onInitialized.addListener(resolve));
  return module;
}

/**
 * Each input goes to jq as a JSON string that jq itself parses (`fromjson`), so a record that is not JSON fails in
 * its own `try` (jq 1.6's stdin parser, once it fails, leaves the WebAssembly module unusable for later calls).
 */
const wrap = (query: string): string => `try ({values: [fromjson | (${query})]}) catch {error: (. | if type == "string" then . else tojson end)}`;

function evaluateWith(module: JqWebModule, query: string, inputs: readonly string[]): JqOutcome[] {
  if (inputs.length === 0) return [];
  const lines = run(module, wrap(query), inputs.map((input) => JSON.stringify(input)).join('\n'));
  if (!lines.ok) return inputs.map(() => lines);
  if (lines.values.length !== inputs.length) throw new Error(`jq answered ${lines.values.length} lines for ${inputs.length} records`);
  return lines.values as JqOutcome[];
}

/** One jq call; its output lines parsed into outcomes (`{values}` or `{error}` objects, from `wrap`). */
function run(module: JqWebModule, filter: string, input: string): JqOutcome | { ok: true; values: JqOutcome[] } {
  let out: string;
  try {
    out = module.raw(input, filter, ['-c']);
  } catch (error) {
    const message = (error as Error).message.replace(/\s+/g, ' ').trim();
    return { ok: false, error: message.replace(/^Non-zero exit code: \d+ /, '') };
  }
  const values: JqOutcome[] = [];
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as { values?: unknown[]; error?: string };
    values.push(parsed.values ? { ok: true, values: parsed.values } : { ok: false, error: String(parsed.error) });
  }
  return { ok: true, values };
}

function compileErrorOf(module: JqWebModule, query: string): string | undefined {
  try {
    module.raw('null', `(${query}) | empty`, ['-c']);
    return undefined;
  } catch (error) {
    const full = (error as Error).stack ?? '';
    return /compile error/.test(full) ? full.replace(/\s+/g, ' ').trim() : undefined;
  }
}

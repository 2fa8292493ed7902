import { createRequire } from 'node:module';
import { batchFilter, batchInput, batchOutcomes, type Jq } from '@lakehouse/firehose';

/**
 * A real jq 1.6 for the MetadataExtraction query: npm `jq-web` 0.5.1, jq 1.6's C sources compiled to WebAssembly
 * with Emscripten (the last jq-web release on jq 1.6; 0.6.x embeds jq 1.7, which differs, e.g. `limit(0; …)`,
 * `@base32d`, `pick`). No hand-written subset: what jq 1.6 refuses, this refuses.
 */
interface JqWebModule {
  raw(input: string, filter: string, flags?: string[]): string;
  onInitialized: { addListener(listener: () => void): void };
}

let loading: Promise<Jq> | undefined;

/** Loads jq once per process (tens of ms, 2.3 MB of WebAssembly); later calls share it. */
export function loadJq(): Promise<Jq> {
  loading ??= loadModule().then(
    (module): Jq => ({
      evaluate: (query, inputs) => (inputs.length === 0 ? [] : evaluateWith(module, query, inputs)),
      compileError: (query) => compileErrorOf(module, query),
    }),
  );
  return loading;
}

async function loadModule(): Promise<JqWebModule> {
  const require = createRequire(import.meta.url);
  // The Emscripten loader fetches its .wasm by path when `fetch` exists, which Node's fetch can't; without it, it
  // reads the file beside itself. It also hooks process-wide error events to abort itself: those hooks are removed.
  const fetch = globalThis.fetch;
  const uncaught = process.listeners('uncaughtException');
  const unhandled = process.listeners('unhandledRejection');
  let module: JqWebModule;
  try {
    (globalThis as { fetch?: unknown }).fetch = undefined;
    module = require('jq-web/jq.wasm.js') as JqWebModule;
  } finally {
    globalThis.fetch = fetch;
    for (const listener of process.listeners('uncaughtException')) if (!uncaught.includes(listener)) process.removeListener('uncaughtException', listener);
    for (const listener of process.listeners('unhandledRejection')) if (!unhandled.includes(listener)) process.removeListener('unhandledRejection', listener);
  }
  await new Promise<void>((resolve) => module.onInitialized.addListener(resolve));
  return module;
}

function evaluateWith(module: JqWebModule, query: string, inputs: readonly string[]) {
  let output: string;
  try {
    output = module.raw(batchInput(inputs), batchFilter(query), ['-c']);
  } catch (error) {
    // Only the query itself can fail the whole call (it does not compile): every record fails with it.
    const message = ((error as Error).stack ?? (error as Error).message).replace(/\s+/g, ' ').trim();
    return inputs.map(() => ({ ok: false as const, error: message }));
  }
  return batchOutcomes(output, inputs.length);
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

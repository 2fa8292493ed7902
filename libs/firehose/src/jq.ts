/**
 * Firehose's MetadataExtraction runs a JQ 1.6 query (`JsonParsingEngine = JQ-1.6`) over each record. The local
 * delivery runs a real jq 1.6 (a jq 1.6 binary, or jq's C sources compiled to WebAssembly, see
 * libs/local/src/delivery/jq-process.ts) behind this interface; this module holds the pure part: how records go through one jq call and come back.
 */
export const JQ_VERSION = '1.6';

/** One record's outcome: the values the query yielded for it, or jq's error. */
export type JqOutcome = { ok: true; values: unknown[] } | { ok: false; error: string };

export interface Jq {
  /**
   * Runs `query` over each input (a record's text), returning one outcome per input, in order. Inputs go through
   * jq in one call (a jq 1.6 call costs tens of ms of set-up in WebAssembly, a record tens of µs), each wrapped in
   * `try`, so a failure stays with its own record.
   */
  evaluate(query: string, inputs: readonly string[]): Promise<JqOutcome[]>;
  /** jq's compile error for the query (Firehose refuses such a processor), or undefined when it compiles. */
  compileError(query: string): Promise<string | undefined>;
}

/**
 * The filter one jq call runs over a batch: each input comes as a JSON string that jq itself parses (`fromjson`),
 * so a record that is not JSON fails in its own `try` (jq 1.6's stdin parser, once it fails, ends the whole call).
 * Each input gives exactly one output line: its values, or its error.
 */
export const batchFilter = (query: string): string => `try ({values: [fromjson | (${query})]}) catch {error: (. | if type == "string" then . else tojson end)}`;

/** The batch's input: one JSON string per record, one a line. */
export const batchInput = (inputs: readonly string[]): string => inputs.map((input) => JSON.stringify(input)).join('\n');

/** One output line of the batch filter as its record's outcome. */
export function batchOutcome(line: string): JqOutcome {
  const parsed = JSON.parse(line) as { values?: unknown[]; error?: unknown };
  return parsed.values ? { ok: true, values: parsed.values } : { ok: false, error: String(parsed.error) };
}

/** The batch's output lines as outcomes, one per input; throws if jq answered a different number of lines. */
export function batchOutcomes(output: string, count: number): JqOutcome[] {
  const outcomes = output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(batchOutcome);
  if (outcomes.length !== count) throw new Error(`jq answered ${outcomes.length} lines for ${count} records`);
  return outcomes;
}

import { PROJECT } from './settings';

/** The Terraform outputs a deployed stack gives the producer and the query tool. */
export const STACK_OUTPUT_NAMES = ['region', 'stream_name', 'stream_arn', 'bucket', 'database', 'table', 'workgroup'] as const;

/** What a deployed stack tells the producer and the query tool, one string per output. */
export type StackOutputs = Record<(typeof STACK_OUTPUT_NAMES)[number], string>;

/** The CDKTF stack name of an environment. */
export function stackName(environment: string): string {
  return `${PROJECT}-${environment}`;
}

/**
 * Reads one stack's outputs from what `cdktf deploy --outputs-file` writes
 * (`{ "<stack>": { "<output>": value } }`) or from `terraform output -json` (`{ "<output>": { "value": … } }`).
 */
export function parseStackOutputs(json: unknown, stack: string): StackOutputs {
  if (json === null || typeof json !== 'object') throw new Error('stack outputs: expected a JSON object');
  const byStack = (json as Record<string, unknown>)[stack];
  const raw = (byStack && typeof byStack === 'object' ? byStack : json) as Record<string, unknown>;
  const outputs: Partial<Record<keyof StackOutputs, string>> = {};
  for (const name of STACK_OUTPUT_NAMES) {
    const entry = raw[name];
    const value = entry && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : entry;
    if (typeof value !== 'string' || value === '') {
      throw new Error(`stack outputs: "${name}" is missing for stack ${stack}; deploy it first (nx run infra:deploy)`);
    }
    outputs[name] = value;
  }
  return outputs as StackOutputs;
}

/**
 * Where `nx run infra:deploy` writes a deployed stack's outputs (relative to the repository root):
 * one file per stack, since `cdktf deploy --outputs-file` replaces the whole file.
 */
export function stackOutputsFile(environment: string): string {
  return `cdktf.out/outputs-${stackName(environment)}.json`;
}

import { PROJECT } from './settings';

/** The Terraform outputs a deployed stack gives the producer and the query tool. */
export const STACK_OUTPUT_NAMES = ['region', 'stream_name', 'stream_arn', 'bucket', 'database', 'table', 'workgroup'] as const;

/** The output of the optional DuckDB workgroup (infra's `athena.duckdbWorkgroup`), absent when it is off. */
export const DUCKDB_WORKGROUP_OUTPUT = 'duckdb_workgroup';

/** What a deployed stack tells the producer and the query tool, one string per output. */
export type StackOutputs = Record<(typeof STACK_OUTPUT_NAMES)[number], string>;

/** What a deployed stack's outputs file holds: the outputs every stack has, and the optional ones it has. */
export type DeployedOutputs = StackOutputs & { [DUCKDB_WORKGROUP_OUTPUT]?: string };

function outputValue(entry: unknown): unknown {
  return entry && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : entry;
}

/** The CDKTF stack name of an environment. */
export function stackName(environment: string): string {
  return `${PROJECT}-${environment}`;
}

/**
 * Reads one stack's outputs from what `cdktf deploy --outputs-file` writes
 * (`{ "<stack>": { "<output>": value } }`) or from `terraform output -json` (`{ "<output>": { "value": … } }`).
 */
export function parseStackOutputs(json: unknown, stack: string): DeployedOutputs {
  if (json === null || typeof json !== 'object') throw new Error('stack outputs: expected a JSON object');
  const byStack = (json as Record<string, unknown>)[stack];
  const raw = (byStack && typeof byStack === 'object' ? byStack : json) as Record<string, unknown>;
  const outputs: Partial<DeployedOutputs> = {};
  for (const name of STACK_OUTPUT_NAMES) {
    const value = outputValue(raw[name]);
    if (typeof value !== 'string' || value === '') {
      throw new Error(`stack outputs: "${name}" is missing for stack ${stack}; deploy it first (nx run infra:deploy)`);
    }
    outputs[name] = value;
  }
  const duckdb = outputValue(raw[DUCKDB_WORKGROUP_OUTPUT]);
  if (typeof duckdb === 'string' && duckdb !== '') outputs[DUCKDB_WORKGROUP_OUTPUT] = duckdb;
  return outputs as DeployedOutputs;
}

/**
 * Where `nx run infra:deploy` writes a deployed stack's outputs (relative to the repository root):
 * one file per stack, since `cdktf deploy --outputs-file` replaces the whole file.
 */
export function stackOutputsFile(environment: string): string {
  return `cdktf.out/outputs-${stackName(environment)}.json`;
}

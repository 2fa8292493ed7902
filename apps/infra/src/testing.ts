/**
 * Test helpers over the synthesized JSON of a stack (`Testing.synth`), so specs read
 * `only(json, KinesisStream)` instead of walking `resource.aws_kinesis_stream.<id>`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { stackConfig, type BackendConfig, type StackConfig, type StackConfigOverrides } from './config';
import { LakehouseStack } from './lakehouse-stack';

// Tests read the synthesized JSON loosely; each assertion states the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface SynthesizedStack {
  stack: LakehouseStack;
  config: StackConfig;
  json: Json;
}

export const TEST_BACKEND: BackendConfig = { type: 'local', path: '/tmp/lakehouse-test/state.tfstate' };

/** One environment's stack, synthesized in memory (nothing is written to cdktf.out). */
export function synthStack(environment: string, overrides: StackConfigOverrides = {}, backend: BackendConfig = TEST_BACKEND): SynthesizedStack {
  const config = stackConfig(environment, backend, overrides);
  const stack = new LakehouseStack(Testing.app(), config);
  return { stack, config, json: JSON.parse(Testing.synth(stack)) };
}

interface ResourceClass {
  tfResourceType: string;
}

/** `[logical id, arguments]` of every resource (or data source) of a type. */
export function resourcesOf(json: Json, type: ResourceClass, kind: 'resource' | 'data' = 'resource'): Array<[string, Json]> {
  return Object.entries(json[kind]?.[type.tfResourceType] ?? {});
}

/** The single resource of a type, with its Terraform address; fails if there are none or several. */
export function only(json: Json, type: ResourceClass, kind: 'resource' | 'data' = 'resource'): Json & { address: string } {
  const all = resourcesOf(json, type, kind);
  if (all.length !== 1) throw new Error(`expected one ${type.tfResourceType}, found ${all.length}`);
  const [id, args] = all[0] as [string, Json];
  return { ...args, address: `${kind === 'data' ? 'data.' : ''}${type.tfResourceType}.${id}` };
}

/** A Terraform reference as cdktf writes it into a string: `${aws_s3_bucket.lake_bucket_X.arn}`. */
export function ref(resource: { address: string }, attribute: string): string {
  return `\${${resource.address}.${attribute}}`;
}

/** Linux's /proc: the processes whose command line names a path under `dir` (the providers of a check run there). */
export function processesUnder(dir: string): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return command.includes(dir) ? [`${pid}: ${command}`] : [];
      } catch {
        return []; // ended
      }
    });
}

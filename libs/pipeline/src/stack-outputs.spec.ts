import { describe, expect, it } from 'vitest';
import { parseStackOutputs, stackName, stackOutputsFile } from './stack-outputs';

const outputs = {
  region: 'eu-west-1',
  stream_name: 'lakehouse-dev-events',
  stream_arn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/lakehouse-dev-events',
  bucket: 'lakehouse-dev-lake-abc',
  database: 'lakehouse_dev',
  table: 'events',
  workgroup: 'lakehouse-dev',
};

describe('parseStackOutputs', () => {
  it('reads the cdktf --outputs-file form', () => {
    expect(parseStackOutputs({ 'lakehouse-dev': outputs }, 'lakehouse-dev')).toEqual(outputs);
  });

  it('reads the terraform output -json form', () => {
    const tf = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v, type: 'string', sensitive: false }]));
    expect(parseStackOutputs(tf, 'lakehouse-dev')).toEqual(outputs);
  });

  it('names a missing output and says what to do', () => {
    const { workgroup: _w, ...partial } = outputs;
    expect(() => parseStackOutputs({ 'lakehouse-dev': partial }, 'lakehouse-dev')).toThrow(
      'stack outputs: "workgroup" is missing for stack lakehouse-dev; deploy it first (nx run infra:deploy)',
    );
  });

  it('reads the optional DuckDB workgroup when the stack has one, and leaves it out otherwise', () => {
    expect(parseStackOutputs({ 'lakehouse-dev': { ...outputs, duckdb_workgroup: 'lakehouse-dev-duckdb' } }, 'lakehouse-dev')).toEqual({
      ...outputs,
      duckdb_workgroup: 'lakehouse-dev-duckdb',
    });
    expect(parseStackOutputs({ 'lakehouse-dev': outputs }, 'lakehouse-dev')).not.toHaveProperty('duckdb_workgroup');
  });

  it('refuses what is not an object', () => {
    expect(() => parseStackOutputs(null, 'x')).toThrow('stack outputs: expected a JSON object');
  });

  it('names stacks after the environment', () => {
    expect(stackName('prod')).toBe('lakehouse-prod');
  });

  it('keeps each stack’s outputs in a file of its own', () => {
    expect(stackOutputsFile('dev')).toBe('cdktf.out/outputs-lakehouse-dev.json');
    expect(stackOutputsFile('prod')).not.toBe(stackOutputsFile('dev'));
  });
});

import { readFile } from 'node:fs/promises';
import { parseStackOutputs, stackName, stackOutputsFile, type StackOutputs } from '@lakehouse/pipeline';

/** Reads a deployed environment's outputs from the file `nx run infra:deploy` writes. */
export async function readStackOutputs(environment: string, file: string = stackOutputsFile(environment)): Promise<StackOutputs> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`no deployed stack found: ${file} is missing; deploy with "nx run infra:deploy --stack=${stackName(environment)}"`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON; deploy again with "nx run infra:deploy"`);
  }
  return parseStackOutputs(json, stackName(environment));
}

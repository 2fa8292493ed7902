import { readFile } from 'node:fs/promises';
import { parseStackOutputs, stackName, STACK_OUTPUTS_FILE, type StackOutputs } from '@lakehouse/pipeline';

/** Reads a deployed environment's outputs from the file `nx run infra:deploy` writes. */
export async function readStackOutputs(environment: string, file: string = STACK_OUTPUTS_FILE): Promise<StackOutputs> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`no deployed stack found: ${file} is missing; deploy with "nx run infra:deploy" or pass --stream`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON; deploy again with "nx run infra:deploy"`);
  }
  return parseStackOutputs(json, stackName(environment));
}

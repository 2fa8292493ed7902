import { readFile } from 'node:fs/promises';
import { parseStackOutputs, stackName, stackOutputsFile, type DeployedOutputs } from '@lakehouse/pipeline';
import { LakehouseError } from '@lakehouse/runtime';

/** Reads a deployed environment's outputs from the file `nx run infra:deploy` writes; no stack there is `missing`. */
export async function readStackOutputs(environment: string, file: string = stackOutputsFile(environment)): Promise<DeployedOutputs> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LakehouseError('missing', `no deployed stack found: ${file} is missing; deploy with "nx run infra:deploy --stack=${stackName(environment)}"`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LakehouseError('missing', `${file}: not valid JSON; deploy again with "nx run infra:deploy"`, { cause: error });
  }
  try {
    return parseStackOutputs(json, stackName(environment));
  } catch (error) {
    throw new LakehouseError('missing', (error as Error).message, { cause: error });
  }
}

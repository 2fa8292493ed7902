import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NODE_FLAGS } from '@lakehouse/runtime';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** How to run a TypeScript CLI from its sources, as a lake command or a test double (with the `lakehouse` command's V8 flags). */
export function tsxCommand(script: string): string[] {
  return [process.execPath, ...NODE_FLAGS, '--import', TSX, script];
}

/** The lake CLI from its sources (what `apps/producer/src/cli.ts` starts). */
export const LAKE_CLI = join(import.meta.dirname, '../../../lake/src/cli.ts');

/** The test double of the embedded lake: same protocol, kinesalite, records written back as NDJSON. */
export const FAKE_LAKE = join(import.meta.dirname, 'fake-lake.ts');

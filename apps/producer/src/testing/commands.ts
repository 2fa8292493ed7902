import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NODE_FLAGS } from '@lakehouse/local';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** How to run a TypeScript CLI from its sources, as a lake command or a test double (with the `lakehouse` command's V8 flags). */
export function tsxCommand(script: string): string[] {
  return [process.execPath, ...NODE_FLAGS, '--import', TSX, script];
}

/**
 * The `lakehouse` command as npm installs it (`[node, lakehouse.mjs]`): `send` runs the producer and `up` the lake,
 * from bundles of their sources that it rebuilds when they change, exactly as users run them.
 */
export const LAKEHOUSE = [process.execPath, join(import.meta.dirname, '../../../cli/bin/lakehouse.mjs')];

// @ts-check
/**
 * The kit's commands, one registry per app (`apps/<app>/src/commands.json`): the `lakehouse` launcher dispatches and
 * lists them from here, each app's `main` runs its own, and the Nx plugin (`nx-plugin.cjs`) makes a target of each
 * (`nx run lake:query` …). A command added to a registry is everywhere at once; a test keeps the apps' mains equal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './bundles.mjs';

/** The apps with commands, in the order `lakehouse --help` lists them. */
export const APPS = /** @type {const} */ (['producer', 'lake']);

/**
 * @typedef {{ summary: string, nxRunCommands?: boolean }} CommandEntry
 * `nxRunCommands`: its Nx target runs through nx:run-commands instead of the kit's executor (see nx-plugin.cjs).
 */

/** @param {typeof APPS[number]} app @returns {Record<string, CommandEntry>} */
export function registryOf(app) {
  return JSON.parse(readFileSync(join(ROOT, 'apps', app, 'src', 'commands.json'), 'utf8'));
}

/** Every command with its app: `send` → producer, `up` → lake … */
export function commands() {
  return Object.fromEntries(APPS.flatMap((app) => Object.entries(registryOf(app)).map(([name, entry]) => [name, { app, ...entry }])));
}

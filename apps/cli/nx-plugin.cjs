// @ts-check
/**
 * Nx targets from the apps' command registries (`apps/<app>/src/commands.json`): `nx run <app>:<command>` runs
 * `lakehouse <command>` with the user's arguments. Through the kit's executor (`@lakehouse/cli:run`), which keeps argv
 * as it is; nx:run-commands joins positional arguments into a shell line unquoted (SQL with `(` or `=` broke), so
 * only a command that takes no positional arguments and must start fast says `nxRunCommands` (`send`: Nx runs a
 * custom executor in a Node process of its own, 0.35–0.45 s more for the main job; its flag values Nx quotes).
 */
const { readFileSync } = require('node:fs');
const { dirname } = require('node:path');

/** @param {string} name @param {{ nxRunCommands?: boolean }} entry */
function targetOf(name, entry) {
  if (!entry.nxRunCommands) return { executor: '@lakehouse/cli:run', options: { command: name } };
  return { executor: 'nx:run-commands', options: { command: `node apps/cli/bin/lakehouse.mjs ${name}`, cwd: '{workspaceRoot}', forwardAllArgs: true } };
}

/** @type {import('nx/src/project-graph/plugins/public-api').CreateNodes} */
const createNodes = [
  'apps/*/src/commands.json',
  (files) =>
    files.map((file) => {
      /** @type {Record<string, { nxRunCommands?: boolean }>} */
      const registry = JSON.parse(readFileSync(file, 'utf8'));
      const targets = Object.fromEntries(Object.entries(registry).map(([name, entry]) => [name, targetOf(name, entry)]));
      return /** @type {const} */ ([file, { projects: { [dirname(dirname(file))]: { targets } } }]);
    }),
];

module.exports = { createNodes, targetOf };

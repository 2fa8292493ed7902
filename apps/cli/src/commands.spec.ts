import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPS, commands, registryOf } from './commands.mjs';

const ROOT = join(import.meta.dirname, '../../..');
type Target = { executor: string; options: { command: string; cwd?: string; forwardAllArgs?: boolean } };
type CreateNodes = readonly [string, (files: readonly string[]) => Array<[string, { projects: Record<string, { targets: Record<string, Target> }> }]>];
const { createNodes } = createRequire(import.meta.url)('../nx-plugin.cjs') as { createNodes: CreateNodes };

describe('one command registry per app: the launcher, --help and every Nx target come from it', () => {
  it('names each command once, in one app', () => {
    const names = APPS.flatMap((app) => Object.keys(registryOf(app)));
    expect(names).toEqual(['send', 'up', 'console', 'query']);
    expect(new Set(names).size).toBe(names.length);
    expect(commands().query).toMatchObject({ app: 'lake', summary: expect.stringContaining('SQL') });
  });

  it('makes an Nx target of every command, through the executor that keeps argv as it is', () => {
    const [pattern, nodesOf] = createNodes;
    expect(pattern).toBe('apps/*/src/commands.json');
    const files = APPS.map((app) => join('apps', app, 'src', 'commands.json'));
    const projects = Object.assign({}, ...nodesOf(files.map((f) => join(ROOT, f))).map(([, result]) => result.projects)) as Record<
      string,
      { targets: Record<string, Target> }
    >;
    expect(projects[join(ROOT, 'apps/lake')]?.targets).toEqual({
      up: { executor: '@lakehouse/cli:run', options: { command: 'up' } },
      console: { executor: '@lakehouse/cli:run', options: { command: 'console' } },
      query: { executor: '@lakehouse/cli:run', options: { command: 'query' } },
    });
    // The one exception, measured: the main job starts 0.35–0.45 s sooner; send takes no positional argument.
    expect(projects[join(ROOT, 'apps/producer')]?.targets).toEqual({
      send: { executor: 'nx:run-commands', options: { command: 'node apps/cli/bin/lakehouse.mjs send', cwd: '{workspaceRoot}', forwardAllArgs: true } },
    });
  });

  it.each(Object.keys(commands()))('`lakehouse %s --help` is answered by the app that runs it', (name) => {
    const stdout = execFileSync(process.execPath, [join(ROOT, 'apps/cli/bin/lakehouse.mjs'), name, '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(stdout).toMatch(new RegExp(`^Usage: lakehouse ${name} `));
  });

  it('reaches its commands through Nx, each target as the registry says (nx show project)', () => {
    const shown = (project: string) =>
      JSON.parse(
        execFileSync('npx', ['nx', 'show', 'project', project, '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } }),
      ) as { targets: Record<string, Target> };
    for (const app of APPS) {
      const targets = shown(app).targets;
      for (const name of Object.keys(registryOf(app))) expect(targets[name]?.options.command).toMatch(new RegExp(`(^|\\s)${name}$`));
    }
  });
});

/**
 * `lakehouse up|console|query` (and `nx run lake:up|console|query`): the lake's commands. Flags are parsed here, each command's
 * work is an importable function, and every error ends through runCommand as one line and its exit code.
 */
import { EXIT, runCommand, usageError, type Io } from '@lakehouse/runtime';
import REGISTRY from './commands.json';
import { parseConsoleArgs, usage as consoleUsage } from './console/options';
import { parseQueryArgs, usage as queryUsage } from './query/options';
import { parseUpArgs, usage as upUsage } from './up/options';

export interface LakeContext extends Io {
  cwd: string;
  /** The console's build to serve, when the lakehouse command built it (else apps/console/dist). */
  consoleDir?: string;
}

type Command = (args: readonly string[], context: LakeContext) => Promise<number>;

const say = (context: LakeContext) => (line: string) => void context.stderr.write(`${line}\n`);

/** --help: asked for, so it is the command's output (stdout). */
function help(context: LakeContext, text: string): number {
  context.stdout.write(`${text}\n`);
  return EXIT.ok;
}

/** Each command's work; what they are called and do is the registry's (`commands.json`, which `lakehouse` and Nx read). */
const COMMANDS: Record<keyof typeof REGISTRY, { run: Command }> = {
  up: {
    async run(args, context) {
      const settings = parseUpArgs(args, context.cwd);
      if (settings === 'help') return help(context, upUsage());
      return (await import('./up/up')).runUp({ ...settings, ...(context.consoleDir ? { consoleDir: context.consoleDir } : {}) }, say(context));
    },
  },
  console: {
    async run(args, context) {
      const settings = parseConsoleArgs(args, context.cwd);
      if (settings === 'help') return help(context, consoleUsage());
      return (await import('./console/run-console')).runConsole(
        { ...settings, ...(context.consoleDir ? { consoleDir: context.consoleDir } : {}) },
        say(context),
      );
    },
  },
  query: {
    async run(args, context) {
      const settings = parseQueryArgs(args, context.cwd);
      if (settings === 'help') return help(context, queryUsage());
      return (await import('./query/run-query')).runQuery(settings, context);
    },
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(REGISTRY).map((name) => name.length));
  return ['Usage: lakehouse <command> [options]', '', ...Object.entries(REGISTRY).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)].join('\n');
}

export async function main(argv: readonly string[], context: LakeContext): Promise<number> {
  const [name, ...args] = argv;
  return runCommand(argv, context, async () => {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') return help(context, usage());
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as keyof typeof COMMANDS] : undefined;
    if (!command) throw usageError(`unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')}`);
    return command.run(args, context);
  });
}

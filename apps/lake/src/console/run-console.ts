import { localLayout, findRunningLake, startConsole } from '@lakehouse/local';
import { displayPath, EXIT, onInterrupt, settingsOfEnvFlag, type ExitCode } from '@lakehouse/runtime';
import type { ConsoleSettings } from './options';

/** `lakehouse console`: the console over a lake folder as it is, until Ctrl-C or SIGTERM (0). */
export async function runConsole(settings: ConsoleSettings & { consoleDir?: string }, say: (line: string) => void): Promise<ExitCode> {
  const stopped = new Promise<void>((resolve) => {
    const remove = onInterrupt({ stop: () => (remove(), resolve()), now: () => undefined });
  });
  const pipeline = settingsOfEnvFlag(settings.environment);
  const layout = localLayout(settings.dataDir, pipeline);
  const server = await startConsole({
    settings: pipeline,
    layout,
    port: settings.port,
    ...(settings.consoleDir ? { assetsDir: settings.consoleDir } : {}),
    log: { say, verbose: settings.verbose },
    queryLimits: {
      ...(settings.queryTimeout === undefined ? {} : { timeoutSeconds: settings.queryTimeout }),
      ...(settings.queryMemory === undefined ? {} : { memoryMiB: settings.queryMemory }),
    },
  });
  say(`console for ${displayPath(layout.dir)} (${pipeline.environment}): ${server.url}`);
  const running = await findRunningLake(layout.runningFile);
  if (running) say(`  a lakehouse is running on this folder (pid ${running.pid}): the console of "lakehouse up" has its live graphs`);
  say('Ctrl-C stops it.');
  await stopped;
  await server.close();
  return EXIT.ok;
}

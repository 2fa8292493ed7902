import { existsSync } from 'node:fs';
import { dataDirOf, localLayout, startEmbeddedLake, type EmbeddedLake } from '@lakehouse/local';
import { settingsOfEnvFlag } from '@lakehouse/runtime';
import type { SendSettings } from '../options';

/**
 * The embedded lake for a local run with no lake:up registered, started first, before the rest of the producer loads:
 * the main job waits for it, so the two start side by side. Undefined when the run may need no embedded lake (a
 * dry run, another target, or a lake:up that may answer: `openLocal` decides those).
 */
export function startEmbeddedLakeEarly(settings: SendSettings, context: { cwd: string }): Promise<EmbeddedLake> | undefined {
  if (settings.target !== 'local' || settings.dryRun) return undefined;
  const dataDir = dataDirOf(settings.lakeDir, context.cwd);
  if (existsSync(localLayout(dataDir, settingsOfEnvFlag(settings.environment)).runningFile)) return undefined;
  const starting = startEmbeddedLake({ dataDir, environment: settings.environment });
  starting.catch(() => undefined); // awaited by openLocal, which reports a failure
  return starting;
}

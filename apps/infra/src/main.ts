/**
 * The CDKTF app (cdktf.json "app"): one stack per environment. The only file that reads the
 * process environment and writes cdktf.out; see apps/infra/README.md for the variables. It ends as every command
 * of the kit does: a setting that can't be deployed is one line naming it (exit 2), the stack only with --verbose.
 */
import { resolve } from 'node:path';
import { App } from 'cdktf';
import { ENVIRONMENTS } from '@lakehouse/pipeline';
import { EXIT, runCommand } from '@lakehouse/runtime';
import { configFromEnv } from './config';
import { LakehouseStack } from './lakehouse-stack';

/** Local state lives next to the app, in a folder apps/infra/.gitignore keeps out of git. */
const DEFAULT_STATE_DIR = resolve(import.meta.dirname, '..', '.terraform-state');

process.exitCode = await runCommand(process.argv.slice(2), process, async () => {
  const app = new App();
  for (const environment of Object.keys(ENVIRONMENTS)) {
    new LakehouseStack(app, configFromEnv(environment, process.env, DEFAULT_STATE_DIR));
  }
  app.synth();
  return EXIT.ok;
});

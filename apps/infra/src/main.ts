/**
 * The CDKTF app (cdktf.json "app"): one stack per environment. The only file that reads the
 * process environment and writes cdktf.out; see apps/infra/README.md for the variables.
 */
import { resolve } from 'node:path';
import { App } from 'cdktf';
import { ENVIRONMENTS } from '@lakehouse/pipeline';
import { configFromEnv } from './config';
import { LakehouseStack } from './lakehouse-stack';

/** Local state lives next to the app, in a folder apps/infra/.gitignore keeps out of git. */
const DEFAULT_STATE_DIR = resolve(import.meta.dirname, '..', '.terraform-state');

const app = new App();
for (const environment of Object.keys(ENVIRONMENTS)) {
  new LakehouseStack(app, configFromEnv(environment, process.env, DEFAULT_STATE_DIR));
}
app.synth();

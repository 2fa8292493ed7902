// The embedded lake's own entry in the `lakehouse` command's bundles: `up --embedded` loads this, not the lake's
// commands, so that its Kinesis API is up before anything else loads.
export { runEmbeddedLake as main } from './child';

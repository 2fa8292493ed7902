import { startKinesisServer } from '../src/kinesis/kinesis-server';

/**
 * The benchmark's baseline: a bare kinesalite in its own process, configured as the lakehouse configures it,
 * so the put loop (in the benchmark's process) and the server don't share a core, as in the end-to-end run.
 */
const server = await startKinesisServer({ port: 0 });
process.send?.({ endpoint: server.endpoint });
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0));
});

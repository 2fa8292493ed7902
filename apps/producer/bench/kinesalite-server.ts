/** kinesalite in its own process for the benchmark, so the server and the sender don't share a core. */
import { startKinesalite } from '@lakehouse/local/kinesalite';

const kinesis = await startKinesalite();
process.send?.({ endpoint: kinesis.endpoint });
process.on('disconnect', () => void kinesis.close().then(() => process.exit(0)));

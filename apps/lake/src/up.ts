import { DEFAULT_ENVIRONMENT, type DeliveryReport } from '@lakehouse/pipeline';
import type { DeliveredEvent } from './delivery/delivery';
import { shown } from './paths';
import { startLakehouse, type LakehouseOptions, type StartedLakehouse } from './lakehouse';

export type UpOptions = Omit<LakehouseOptions, 'register' | 'onDelivered' | 'onRetry'> & { verbose?: boolean };

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: Output = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

const count = (n: number) => n.toLocaleString('en-US');

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

/** One line per object, as it lands. */
function describeDelivery({ object, reason }: DeliveredEvent): string {
  const what =
    object.kind === 'data'
      ? `delivered ${count(object.records)} record${object.records === 1 ? '' : 's'}`
      : `${count(object.records)} record${object.records === 1 ? '' : 's'} failed conversion`;
  return `${clock()} ${what} (${reason}) -> ${object.key} (${formatBytes(object.bytes)})`;
}

/** The totals line printed when the lakehouse stops. */
function describeReport(report: DeliveryReport): string {
  const failed = report.recordsFailed > 0 ? `; ${count(report.recordsFailed)} failed conversion (under errors/)` : '';
  const objects = report.objects.filter((o) => o.kind === 'data').length;
  return `${count(report.recordsDelivered)} records delivered in ${objects} Parquet object${objects === 1 ? '' : 's'}${failed}`;
}

function banner(lake: StartedLakehouse, options: UpOptions): string[] {
  const { settings, limits, layout } = lake;
  const awsInterval = settings.buffering.intervalSeconds;
  const localInterval = limits.intervalMillis / 1000;
  const interval =
    localInterval < awsInterval
      ? `${localInterval} s (AWS waits ${awsInterval} s; shortened locally, set with --buffer-interval)`
      : `${localInterval} s`;
  const envFlag = settings.environment === DEFAULT_ENVIRONMENT ? '' : ` --env ${settings.environment}`;
  const lines = [
    `lakehouse ${settings.environment} is up`,
    `  kinesis:   ${lake.endpoint}  stream ${lake.streamName} (${lake.shardCount} shards, ${options.persist ? `on disk in ${shown(layout.kinesisDir)}` : 'in memory; --persist keeps it on disk'})`,
    `  lake:      ${shown(layout.bucketDir)}/  (catalog ${shown(layout.catalogFile)})`,
    `  buffering: ${formatBytes(limits.sizeBytes)} or ${interval}, whichever comes first`,
    `  send:      nx run producer:send --amount 10${envFlag}`,
    `  query:     nx run lake:query "SELECT status, count(*) FROM events GROUP BY status"${envFlag}`,
  ];
  if (lake.resumed) lines.push(`  resumed the stream kept on disk`);
  const interrupted = lake.recovery?.interrupted;
  if (interrupted?.outcome === 'completed') lines.push(`  recovered: finished a delivery interrupted after its ${interrupted.keys.length} objects were in place`);
  if (interrupted?.outcome === 'undone') {
    lines.push(`  recovered: undid a delivery interrupted before its objects were all in place (${interrupted.removed.length} removed); its records are delivered again`);
  }
  if (lake.recovery?.otherStream) lines.push('  the saved positions belonged to an earlier stream: reading this one from its start');
  if (lake.discardedTempFiles > 0) lines.push(`  removed ${lake.discardedTempFiles} temporary files of deliveries that never completed`);
  lines.push('Ctrl-C reads the stream to its end, delivers what is buffered, and stops.');
  return lines;
}

/**
 * `lake:up`: the local lakehouse as a long-lived process. It prints its endpoint and each delivery as it happens;
 * SIGINT/SIGTERM drain the stream, deliver the buffer and exit 0; a second Ctrl-C (SIGINT) exits at once.
 * A SIGTERM is never that second Ctrl-C: Nx sends one to every task along with the terminal's SIGINT.
 */
export async function runUp(options: UpOptions, io: Output = stdio): Promise<number> {
  const lake = await startLakehouse({
    ...options,
    register: true,
    onDelivered: (event) => io.out(describeDelivery(event)),
    onRetry: (shardId, error) => {
      if (options.verbose) io.err(`${clock()} ${shardId}: GetRecords failed, retrying: ${(error as Error).message}`);
    },
  });
  for (const line of banner(lake, options)) io.out(line);

  return new Promise<number>((resolve) => {
    let stopping = false;
    let interrupts = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signal === 'SIGINT') interrupts++;
      if (stopping) {
        // Nx's SIGTERM and the terminal's SIGINT can arrive in either order: only a second SIGINT stops at once.
        if (interrupts < 2) return;
        io.err(`${signal} again: stopping without delivering the buffer${options.persist ? ' (it is delivered at the next start)' : ''}`);
        void lake.abort().finally(() => resolve(130));
        return;
      }
      stopping = true;
      io.err(`${signal}: reading the stream to its end and delivering the buffer…`);
      lake.stop().then(
        (report) => {
          io.out(describeReport(report));
          resolve(0);
        },
        (error: unknown) => {
          io.err(`stopping failed: ${(error as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    lake.failed.catch((error: unknown) => {
      if (stopping) return;
      stopping = true;
      io.err(`delivery failed: ${(error as Error).message}; nothing after the last delivery was saved${options.persist ? ' (it is delivered again at the next start)' : ''}`);
      void lake.abort().finally(() => resolve(1));
    });
  });
}

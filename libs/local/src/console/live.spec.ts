import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleInfo, MetricsBackfill, MetricsSample, PipelineState } from '@lakehouse/console-api';
import { kinesisClient } from '@lakehouse/aws';
import { Lakehouse } from '../lakehouse';
import { resolveOptions } from '../options';
import { encode, eventRecords, putAll } from '../testing/records';
import type { ConsoleServer } from './server';
import { startConsole } from './start-console';

/** The events a page has received so far, by name. */
class EventLog {
  private text = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  events(name: string): unknown[] {
    return this.text
      .split('\n\n')
      .filter((block) => block.startsWith(`event: ${name}\n`))
      .map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)));
  }

  /** Reads until `check` holds for what came so far. */
  async until(check: () => boolean): Promise<void> {
    while (!check()) {
      const { done, value } = await this.reader.read();
      if (done) throw new Error('the stream ended');
      this.text += new TextDecoder().decode(value);
    }
  }

  close(): Promise<void> {
    return this.reader.cancel();
  }
}

describe('the console of a running lakehouse: live metrics as records flow', () => {
  let dir: string;
  let lake: Lakehouse;
  let server: ConsoleServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-live-'));
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html>');
    lake = await Lakehouse.start(resolveOptions({ dataDir: join(dir, 'lake'), port: 0, bufferInterval: 1 }));
    server = await startConsole({
      settings: lake.info.settings,
      layout: lake.info.layout,
      port: 0,
      assetsDir: join(dir, 'dist'),
      live: { endpoint: lake.info.endpoint, metrics: lake.metrics, bufferState: () => lake.bufferState() },
    });
  });
  afterAll(async () => {
    await server?.close();
    await lake?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says it is up, with the Kinesis endpoint to send to', async () => {
    const info = (await (await fetch(`${server.url}api/info`)).json()) as ConsoleInfo;
    expect(info).toMatchObject({ mode: 'up', kinesisEndpoint: lake.info.endpoint, streamName: lake.info.streamName });
  });

  it('counts what comes in and what is delivered or failed, in the totals and in the per-second graphs', async () => {
    const page = new EventLog((await fetch(`${server.url}api/events`)).body as ReadableStream<Uint8Array>);
    const bad = ['{"uuid": 1}', 'not json'];
    await putAll(kinesisClient({ endpoint: lake.info.endpoint }), lake.info.streamName, [...eventRecords(300).map(encode), ...bad.map(encode)]);

    const latest = () => page.events('state').at(-1) as PipelineState | undefined;
    await page.until(() => latest()?.totals.deliveredRecords === 300 && latest()?.totals.failedRecords === 2);
    expect(latest()?.totals).toMatchObject({ incomingRecords: 302, deliveredRecords: 300, failedRecords: 2, errorObjects: 1 });
    expect(latest()?.flow).toMatchObject({ stream: { records: 302 }, delivery: { buffered: 0, delivered: 300, failed: 2 }, catalog: { tables: 1 } });

    // The graphs add up to the totals once the seconds have settled.
    const sum = (id: 'incomingRecords' | 'deliveredRecords' | 'failedRecords') => {
      const samples = [...((page.events('backfill')[0] as MetricsBackfill).samples ?? []), ...(page.events('metrics') as MetricsSample[])];
      return samples.reduce((n, s) => n + (s.values[id] ?? 0), 0);
    };
    await page.until(() => sum('incomingRecords') === 302 && sum('deliveredRecords') === 300 && sum('failedRecords') === 2);
    expect(server.livePages).toBe(1);
    await page.close();
  });
});

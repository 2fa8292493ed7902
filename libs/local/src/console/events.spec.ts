import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsBackfill, MetricsSample, PipelineState } from '@lakehouse/console-api';
import { HISTORY_SECONDS, PipelineMetrics } from '../metrics';
import { MetricsFeed } from './events';

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);

/** Server-Sent Events as a page's EventSource sees them. */
function parseEvents(text: string): Array<{ event: string; data: unknown }> {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => ({ event: /^event: (.+)$/m.exec(block)?.[1] ?? 'message', data: JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? 'null') }));
}

describe('MetricsFeed: the live metrics as Server-Sent Events', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  /** A feed over fresh metrics (`prepare` fills them), and one page connected to it. */
  async function setUp(prepare: (metrics: PipelineMetrics) => void = () => undefined) {
    const clock = { now: T0 + 500 };
    const metrics = new PipelineMetrics(() => clock.now);
    prepare(metrics);
    const buffer = { records: 0, bytes: 0, openedAtMillis: undefined as number | undefined, intervalMillis: 10_000 };
    const feed = new MetricsFeed({ metrics, bufferState: () => buffer, catalogTables: 1 }, () => clock.now);
    const server = createServer((_, response) => feed.connect(response, {}));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = '';
    /** Everything the page received, once `count` events of `event` have come. */
    const until = async (event: string, count: number) => {
      while (parseEvents(received).filter((e) => e.event === event).length < count) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the stream ended');
        received += new TextDecoder().decode(value);
      }
      return parseEvents(received);
    };
    return { clock, metrics, feed, response, until, close: () => reader.cancel() };
  }

  it('opens with the last 15 minutes and the state, with the headers an event stream needs', async () => {
    const { feed, response, until, close } = await setUp((metrics) => metrics.delivered({ kind: 'data', records: 4, bytes: 40 }));
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    const events = await until('state', 1);
    const backfill = events.find((e) => e.event === 'backfill')?.data as MetricsBackfill;
    expect(backfill.samples).toHaveLength(HISTORY_SECONDS);
    expect(backfill.samples.at(-1)?.at).toBe(T0 - 2_000); // the latest settled second
    expect((events.find((e) => e.event === 'state')?.data as PipelineState).totals.deliveredRecords).toBe(4);
    expect(feed.pageCount).toBe(1);
    await close();
  });

  it('sends each settled second once, in order, even when a tick comes late', async () => {
    const { clock, metrics, feed, until, close } = await setUp();
    await until('state', 1);
    metrics.read([{ arrivalMillis: T0 + 100, data: new Uint8Array(8) }]);
    clock.now = T0 + 3_200; // seconds T0 and T0+1 have settled: T0-1 too, as the first tick is late
    feed.tick();
    clock.now = T0 + 3_900; // nothing new has settled
    feed.tick();
    clock.now = T0 + 4_100;
    feed.tick();
    const samples = (await until('state', 4)).filter((e) => e.event === 'metrics').map((e) => e.data as MetricsSample);
    expect(samples.map((s) => (s.at - T0) / 1000)).toEqual([-1, 0, 1, 2]);
    expect(samples[1]?.values).toEqual({ incomingRecords: 1, incomingBytes: 8, iteratorAge: 400 });
    await close();
  });

  it('samples the buffer each second, page or no page', () => {
    const clock = { now: T0 };
    const metrics = new PipelineMetrics(() => clock.now);
    const feed = new MetricsFeed(
      { metrics, bufferState: () => ({ records: 3, bytes: 30, openedAtMillis: T0 - 2_000, intervalMillis: 10_000 }), catalogTables: 1 },
      () => clock.now,
    );
    feed.tick();
    feed.close();
    expect(metrics.sample(T0 / 1000).values).toEqual({ bufferedRecords: 3, bufferedBytes: 30, dataFreshness: 2 });
  });

  it('forgets a page that went away, and ends the others when it closes', async () => {
    const first = await setUp();
    await first.until('state', 1);
    await first.close();
    await expect.poll(() => first.feed.pageCount).toBe(0);
    const second = await setUp();
    await second.until('state', 1);
    second.feed.close();
    expect(second.feed.pageCount).toBe(0);
    await expect(second.until('never', 1)).rejects.toThrow('the stream ended');
  });
});

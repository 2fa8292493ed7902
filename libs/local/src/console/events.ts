import type { ServerResponse } from 'node:http';
import type { MetricsBackfill, MetricsSample, PipelineState } from '@lakehouse/console-api';
import type { BufferState } from '@lakehouse/firehose';
import type { PipelineMetrics } from '../metrics';

/** A running lake, as its live view needs it. */
export interface LiveLake {
  metrics: PipelineMetrics;
  bufferState(): BufferState & { intervalMillis: number };
  catalogTables: number;
}

/** A page that stops reading is dropped once this much waits for it, rather than buffered without end. */
const MAX_PENDING_BYTES = 1024 * 1024;

/**
 * Seconds a sample waits before it is sent: records count in the second they arrived in Kinesis, and a reader
 * polls each shard every 200 ms, so a second's count is settled a moment after it ends.
 */
const SETTLE_SECONDS = 2;

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The pipeline's live metrics as Server-Sent Events: on connect, the last 15 minutes (`backfill`); then each
 * second, the latest settled second (`metrics`) and where the pipeline stands (`state`). The buffer is sampled
 * each second whether or not a page is open, so the graphs have no holes when one opens.
 */
export class MetricsFeed {
  private readonly pages = new Set<ServerResponse>();
  private readonly ticker: NodeJS.Timeout;
  private lastSentSecond: number;

  constructor(
    private readonly lake: LiveLake,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSentSecond = this.settledSecond();
    this.ticker = setInterval(() => this.tick(), 1000).unref();
  }

  /** Streams to one page until it goes away. */
  connect(response: ServerResponse, headers: Record<string, string>): void {
    response.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
    });
    response.socket?.setNoDelay(true);
    const backfill: MetricsBackfill = { samples: this.lake.metrics.history(this.lastSentSecond) };
    response.write(`retry: 2000\n\n${frame('backfill', backfill)}${frame('state', this.state())}`);
    this.pages.add(response);
    response.on('close', () => this.pages.delete(response));
  }

  get pageCount(): number {
    return this.pages.size;
  }

  /** Ends every stream (a server can't close while they are open). */
  close(): void {
    clearInterval(this.ticker);
    for (const page of this.pages) page.end();
    this.pages.clear();
  }

  /** Samples the buffer, then sends each second settled since the last tick (timers drift) and the state. */
  tick(): void {
    this.lake.metrics.observeBuffer(this.lake.bufferState());
    const settled = this.settledSecond();
    let chunk = '';
    for (let second = this.lastSentSecond + 1; second <= settled; second++) {
      const sample: MetricsSample = this.lake.metrics.sample(second);
      chunk += frame('metrics', sample);
    }
    this.lastSentSecond = Math.max(this.lastSentSecond, settled);
    chunk += frame('state', this.state());
    for (const page of this.pages) {
      if (page.writableLength > MAX_PENDING_BYTES) page.destroy();
      else page.write(chunk);
    }
  }

  private state(): PipelineState {
    return this.lake.metrics.state(this.lake.bufferState(), this.lake.catalogTables);
  }

  private settledSecond(): number {
    return Math.floor(this.now() / 1000) - SETTLE_SECONDS;
  }
}

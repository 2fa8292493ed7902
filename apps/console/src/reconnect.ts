/**
 * Staying connected to the lake. `Backoff` says how long to wait after each failure; `LiveLink` keeps one
 * Server-Sent Events stream open through it: a failed or silent stream is closed and opened again later, and the
 * page is told `connecting`, `live` or `down`. Timers and the EventSource are injected, so the tests drive it by hand.
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 3_000, factor: 2 };

export class Backoff {
  private failures = 0;
  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The wait before the next attempt, growing with each failure up to `maxMs`. */
  next(): number {
    const { initialMs, maxMs, factor } = this.options;
    const delay = Math.min(maxMs, initialMs * factor ** this.failures);
    this.failures++;
    return delay;
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}

export type LinkState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** `retryAt`: epoch milliseconds of the next attempt; `failures`: in a row. */
  | { kind: 'down'; retryAt: number; failures: number };

/** What `LiveLink` needs of an EventSource. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
  close(): void;
}

export interface LinkDeps {
  open(url: string): EventSourceLike;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(id: unknown): void;
  now(): number;
}

export interface LinkHandlers {
  /** A named event's data, parsed from JSON. */
  onEvent(type: string, data: unknown): void;
  onState(state: LinkState): void;
}

export const browserDeps: LinkDeps = {
  open: (url) => new EventSource(url) as unknown as EventSourceLike,
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class LiveLink {
  private source: EventSourceLike | null = null;
  private retryTimer: unknown = null;
  private staleTimer: unknown = null;
  private readonly backoff: Backoff;
  private stopped = true;
  state: LinkState = { kind: 'connecting' };

  /** `staleMs`: a live stream silent this long counts as lost (the lake sends every second). */
  constructor(
    private readonly url: string,
    private readonly events: readonly string[],
    private readonly handlers: LinkHandlers,
    private readonly deps: LinkDeps = browserDeps,
    private readonly staleMs = 5_000,
    backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {
    this.backoff = new Backoff(backoff);
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.drop();
    this.clear('retryTimer');
  }

  /** Try at once (the user asked, or a request just failed and we'd rather know now). */
  retryNow(): void {
    if (this.stopped || this.state.kind !== 'down') return;
    this.clear('retryTimer');
    this.connect();
  }

  private connect(): void {
    this.drop();
    this.setState({ kind: 'connecting' });
    const source = this.deps.open(this.url);
    this.source = source;
    source.addEventListener('open', () => this.alive(source));
    source.addEventListener('error', () => this.failed(source));
    for (const type of this.events) source.addEventListener(type, (event) => this.message(source, type, event.data));
    this.armWatchdog();
  }

  private message(source: EventSourceLike, type: string, data: unknown): void {
    if (source !== this.source) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(data));
    } catch {
      return; // not ours to show; the next second brings another
    }
    this.alive(source);
    this.handlers.onEvent(type, parsed);
  }

  private alive(source: EventSourceLike): void {
    if (source !== this.source) return;
    this.armWatchdog();
    if (this.state.kind === 'live') return;
    this.backoff.reset();
    this.setState({ kind: 'live' });
  }

  private failed(source: EventSourceLike): void {
    if (source !== this.source || this.stopped) return;
    this.drop();
    const delay = this.backoff.next();
    this.setState({ kind: 'down', retryAt: this.deps.now() + delay, failures: this.backoff.attempts });
    this.retryTimer = this.deps.setTimer(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private armWatchdog(): void {
    this.clear('staleTimer');
    const source = this.source;
    if (source) this.staleTimer = this.deps.setTimer(() => this.failed(source), this.staleMs);
  }

  private drop(): void {
    this.clear('staleTimer');
    this.source?.close();
    this.source = null;
  }

  private clear(which: 'retryTimer' | 'staleTimer'): void {
    if (this[which] !== null) this.deps.clearTimer(this[which]);
    this[which] = null;
  }

  private setState(state: LinkState): void {
    this.state = state;
    this.handlers.onState(state);
  }
}

/**
 * The same states for a lake with no stream to hold (a folder read as it is): ask `check` every `intervalMs`
 * while it answers, and on the backoff's schedule once it doesn't.
 */
export class PollLink {
  private timer: unknown = null;
  private readonly backoff: Backoff;
  private stopped = true;
  private generation = 0;
  state: LinkState = { kind: 'connecting' };

  constructor(
    private readonly check: () => Promise<unknown>,
    private readonly onState: (state: LinkState) => void,
    private readonly deps: LinkDeps = browserDeps,
    private readonly intervalMs = 5_000,
    backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {
    this.backoff = new Backoff(backoff);
  }

  start(): void {
    this.stopped = false;
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
  }

  retryNow(): void {
    if (this.stopped || this.state.kind !== 'down') return;
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    void this.poll();
  }

  private async poll(): Promise<void> {
    const generation = ++this.generation;
    let ok = true;
    try {
      await this.check();
    } catch {
      ok = false;
    }
    if (this.stopped || generation !== this.generation) return;
    let delay = this.intervalMs;
    if (ok) {
      this.backoff.reset();
      if (this.state.kind !== 'live') this.setState({ kind: 'live' });
    } else {
      delay = this.backoff.next();
      this.setState({ kind: 'down', retryAt: this.deps.now() + delay, failures: this.backoff.attempts });
    }
    this.timer = this.deps.setTimer(() => {
      this.timer = null;
      void this.poll();
    }, delay);
  }

  private setState(state: LinkState): void {
    this.state = state;
    this.onState(state);
  }
}

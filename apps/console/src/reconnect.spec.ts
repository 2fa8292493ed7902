import { describe, expect, it } from 'vitest';
import { Backoff, LiveLink, PollLink, type EventSourceLike, type LinkDeps, type LinkState } from './reconnect';

describe('Backoff', () => {
  it('doubles from the first wait up to the cap, and starts over after a reset', () => {
    const b = new Backoff({ initialMs: 500, maxMs: 5000, factor: 2 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.next()).toBe(500);
  });
});

/** Timers and event sources driven by hand. */
class Fake implements LinkDeps {
  time = 0;
  timers = new Map<number, { at: number; fn: () => void }>();
  sources: FakeSource[] = [];
  private ids = 0;
  open = (url: string) => {
    const s = new FakeSource(url);
    this.sources.push(s);
    return s;
  };
  setTimer = (fn: () => void, ms: number) => {
    const id = ++this.ids;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  clearTimer = (id: unknown) => void this.timers.delete(id as number);
  now = () => this.time;
  /** Moves the clock, firing timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = end;
  }
  get last(): FakeSource {
    return this.sources.at(-1) as FakeSource;
  }
}

class FakeSource implements EventSourceLike {
  closed = false;
  listeners = new Map<string, Array<(e: { data?: unknown }) => void>>();
  constructor(readonly url: string) {}
  addEventListener(type: string, fn: (e: { data?: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data?: unknown): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ data });
  }
}

function liveLink() {
  const fake = new Fake();
  const states: LinkState['kind'][] = [];
  const events: Array<[string, unknown]> = [];
  const link = new LiveLink('/api/events', ['metrics'], { onEvent: (t, d) => events.push([t, d]), onState: (s) => states.push(s.kind) }, fake, 5000, {
    initialMs: 500,
    maxMs: 4000,
    factor: 2,
  });
  link.start();
  return { fake, states, events, link };
}

describe('LiveLink', () => {
  it('is live once the stream opens, and hands on each event parsed', () => {
    const { fake, states, events } = liveLink();
    fake.last.emit('open');
    fake.last.emit('metrics', '{"at":1000,"values":{}}');
    fake.last.emit('metrics', 'not json');
    expect(states).toEqual(['connecting', 'live']);
    expect(events).toEqual([['metrics', { at: 1000, values: {} }]]);
  });

  it('closes a failed stream and opens a new one after a growing wait', () => {
    const { fake, states, link } = liveLink();
    fake.last.emit('error');
    expect(fake.sources[0]?.closed).toBe(true);
    expect(link.state).toEqual({ kind: 'down', retryAt: 500, failures: 1 });
    fake.advance(499);
    expect(fake.sources).toHaveLength(1);
    fake.advance(1);
    expect(fake.sources).toHaveLength(2);
    fake.last.emit('error');
    expect(link.state).toMatchObject({ kind: 'down', retryAt: 500 + 1000, failures: 2 });
    fake.advance(1000);
    fake.last.emit('open');
    expect(states).toEqual(['connecting', 'down', 'connecting', 'down', 'connecting', 'live']);
  });

  it('starts the waits over once a stream is live again', () => {
    const { fake, link } = liveLink();
    fake.last.emit('error');
    fake.advance(500);
    fake.last.emit('error');
    fake.advance(1000);
    fake.last.emit('open');
    fake.last.emit('error');
    expect(link.state).toMatchObject({ kind: 'down', failures: 1 });
    expect((link.state as { retryAt: number }).retryAt - fake.time).toBe(500);
  });

  it('counts a silent stream as lost (the lake sends every second)', () => {
    const { fake, link } = liveLink();
    fake.last.emit('open');
    fake.advance(4000);
    fake.last.emit('metrics', '{}');
    fake.advance(4999);
    expect(link.state.kind).toBe('live');
    fake.advance(1);
    expect(link.state.kind).toBe('down');
    expect(fake.sources[0]?.closed).toBe(true);
  });

  it('ignores what an old stream says after it was replaced, and stops for good on stop()', () => {
    const { fake, link, events } = liveLink();
    const old = fake.last;
    old.emit('error');
    fake.advance(500);
    old.emit('metrics', '{"old":true}');
    old.emit('open');
    expect(events).toEqual([]);
    expect(link.state.kind).toBe('connecting');
    link.stop();
    expect(fake.last.closed).toBe(true);
    fake.advance(60_000);
    expect(fake.sources).toHaveLength(2);
  });

  it('retries at once when asked while down', () => {
    const { fake, link } = liveLink();
    fake.last.emit('error');
    link.retryNow();
    expect(fake.sources).toHaveLength(2);
    expect(link.state.kind).toBe('connecting');
  });
});

describe('PollLink', () => {
  it('asks every interval while the lake answers, and on the backoff once it does not', async () => {
    const fake = new Fake();
    let up = true;
    let calls = 0;
    const states: string[] = [];
    const link = new PollLink(
      async () => {
        calls++;
        if (!up) throw new Error('down');
      },
      (s) => states.push(s.kind),
      fake,
      5000,
      { initialMs: 500, maxMs: 4000, factor: 2 },
    );
    const settle = () => new Promise((r) => setTimeout(r, 0));
    link.start();
    await settle();
    expect(states).toEqual(['live']);
    up = false;
    fake.advance(5000);
    await settle();
    expect(link.state).toMatchObject({ kind: 'down', failures: 1, retryAt: 5500 });
    fake.advance(500);
    await settle();
    expect(link.state).toMatchObject({ kind: 'down', failures: 2 });
    up = true;
    fake.advance(1000);
    await settle();
    expect(states).toEqual(['live', 'down', 'down', 'live']);
    expect(calls).toBe(4);
    link.stop();
    fake.advance(60_000);
    await settle();
    expect(calls).toBe(4);
  });
});

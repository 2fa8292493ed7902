import type { Tally } from './tally';

export interface ProgressState {
  done: number;
  /** Records the run will take, when known (--amount). */
  total?: number;
  elapsedMs: number;
  /** How long the run will last, when known (--duration). */
  durationMs?: number;
  retried: number;
  width: number;
}

const BAR = 24;

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** One line: bar, done/total, rate, retries, ETA; cut to the terminal's width. */
export function renderProgress(state: ProgressState): string {
  const { done, total, elapsedMs, durationMs, retried, width } = state;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  let fraction: number | undefined;
  let eta: number | undefined;
  if (total !== undefined && total > 0) {
    fraction = Math.min(1, done / total);
    eta = rate > 0 ? (total - done) / rate : undefined;
  }
  if (durationMs !== undefined) {
    const byTime = Math.min(1, elapsedMs / durationMs);
    if (fraction === undefined || byTime > fraction) {
      fraction = byTime;
      eta = (durationMs - elapsedMs) / 1000;
    }
  }
  const filled = fraction === undefined ? 0 : Math.round(fraction * BAR);
  const parts = [
    fraction === undefined ? 'sending' : `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${Math.floor(fraction * 100)}%`,
    total === undefined ? `${done.toLocaleString('en-US')} sent` : `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} sent`,
    `${Math.round(rate).toLocaleString('en-US')} rec/s`,
    `retried ${retried.toLocaleString('en-US')}`,
    ...(eta === undefined ? [] : [`ETA ${clock(eta)}`]),
  ];
  return parts.join('  ').slice(0, Math.max(10, width - 1));
}

/**
 * Redraws a progress line on a terminal (stderr) a few times a second, from the tally; shows nothing
 * for runs that end within half a second. stop() clears the line.
 */
export function startProgress(stream: NodeJS.WriteStream, tally: Tally, plan: { total?: number; durationMs?: number }): { stop(): void } {
  const started = performance.now();
  let drawn = false;
  const draw = () => {
    const elapsedMs = performance.now() - started;
    if (elapsedMs < 500) return;
    drawn = true;
    stream.write(`\r\x1b[2K${renderProgress({ done: tally.sent, retried: tally.retried, elapsedMs, width: stream.columns || 80, ...plan })}`);
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

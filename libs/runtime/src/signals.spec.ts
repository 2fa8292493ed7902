import { describe, expect, it } from 'vitest';
import { interruptPolicy, interruptReason, onInterrupt } from './signals';

describe('the Ctrl-C policy: the terminal’s SIGINT, and the SIGTERM Nx sends every task with it', () => {
  it.each([
    [['SIGINT'], 'SIGINT', 0],
    [['SIGTERM'], 'SIGTERM', 0],
    [['SIGINT', 'SIGTERM'], 'SIGINT', 0],
    // Signals sent together can arrive in either order: Nx's SIGTERM first is not a reason to leave at once.
    [['SIGTERM', 'SIGINT'], 'SIGTERM', 0],
    [['SIGTERM', 'SIGTERM'], 'SIGTERM', 0],
    [['SIGINT', 'SIGINT'], 'SIGINT', 1],
    [['SIGTERM', 'SIGINT', 'SIGTERM', 'SIGINT', 'SIGINT'], 'SIGTERM', 1],
  ] as const)('%j: stops once (on %s), leaves at once %i time(s)', (signals, stoppedOn, left) => {
    const stops: string[] = [];
    let leaves = 0;
    const onSignal = interruptPolicy({ stop: (s) => stops.push(s), now: () => leaves++ });
    for (const signal of signals) onSignal(signal);
    expect(stops).toEqual([stoppedOn]);
    expect(leaves).toBe(left);
  });

  it('names the signal in the reason', () => {
    expect(interruptReason('SIGINT')).toBe('interrupted (Ctrl-C)');
    expect(interruptReason('SIGTERM')).toBe('interrupted (SIGTERM)');
  });

  describe('installed on the process', () => {
    const listeners = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

    it('goes away without a trace when no signal came', () => {
      const before = listeners();
      const remove = onInterrupt({ stop: () => undefined, now: () => undefined });
      expect(listeners()).toEqual(before.map((n) => n + 1));
      remove();
      expect(listeners()).toEqual(before);
    });

    it('after a signal, keeps absorbing late ones once removed, without acting on them', () => {
      const before = listeners();
      const stops: string[] = [];
      let leaves = 0;
      const remove = onInterrupt({ stop: (s) => stops.push(s), now: () => leaves++ });
      process.emit('SIGINT', 'SIGINT');
      remove();
      process.emit('SIGTERM', 'SIGTERM');
      process.emit('SIGINT', 'SIGINT');
      expect(stops).toEqual(['SIGINT']);
      expect(leaves).toBe(0);
      expect(listeners()).toEqual(before.map((n) => n + 1));
    });
  });
});

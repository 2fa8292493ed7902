import { describe, expect, it } from 'vitest';
import { interruptPolicy, interruptReason } from './signals';

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
});

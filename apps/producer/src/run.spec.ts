import { describe, expect, it } from 'vitest';
import { EXIT } from './errors';
import { stopOnSignal } from './run';

describe('stopOnSignal: Ctrl-C, and the SIGTERM Nx sends every task after it', () => {
  it.each([
    [['SIGINT'], 'interrupted (Ctrl-C)', []],
    [['SIGTERM'], 'interrupted (SIGTERM)', []],
    [['SIGINT', 'SIGTERM'], 'interrupted (Ctrl-C)', []],
    // Signals sent together can arrive in either order: Nx's SIGTERM first is not a reason to leave at once.
    [['SIGTERM', 'SIGINT'], 'interrupted (SIGTERM)', []],
    [['SIGTERM', 'SIGTERM'], 'interrupted (SIGTERM)', []],
    [['SIGINT', 'SIGINT'], 'interrupted (Ctrl-C)', [EXIT.interrupted]],
    [['SIGTERM', 'SIGINT', 'SIGTERM', 'SIGINT'], 'interrupted (SIGTERM)', [EXIT.interrupted]],
  ] as const)('%j: the run stops (%s); leaves at once with %j', (signals, reason, exits) => {
    const stop = new AbortController();
    const exited: number[] = [];
    const onSignal = stopOnSignal(stop, (code) => exited.push(code));
    for (const signal of signals) onSignal(signal);
    expect(stop.signal.reason).toBe(reason);
    expect(exited).toEqual(exits);
  });
});

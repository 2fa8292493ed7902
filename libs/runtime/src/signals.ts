/** What a command does when it is interrupted. */
export interface InterruptHandlers {
  /** The first Ctrl-C or SIGTERM: stop taking work, finish and deliver what is in flight, report. */
  stop(signal: NodeJS.Signals): void;
  /** A second Ctrl-C: leave at once. */
  now(signal: NodeJS.Signals): void;
}

/**
 * The kit's Ctrl-C policy, for every long-running command: the first SIGINT or SIGTERM stops gracefully; only a
 * second SIGINT leaves at once. Nx sends every task a SIGTERM along with the terminal's Ctrl-C, and the two can
 * arrive in either order, so a SIGTERM never counts as that second Ctrl-C.
 */
export function interruptPolicy(handlers: InterruptHandlers): (signal: NodeJS.Signals) => void {
  let interrupts = 0;
  let stopping = false;
  let left = false;
  return (signal) => {
    if (signal === 'SIGINT') interrupts++;
    if (!stopping) {
      stopping = true;
      handlers.stop(signal);
    } else if (interrupts >= 2 && !left) {
      left = true;
      handlers.now(signal);
    }
  };
}

/**
 * Installs the policy on this process's SIGINT and SIGTERM; returns what removes it. Once a signal has come, the
 * command is ending because of it: removing then leaves a listener that ignores further signals, so that a late
 * SIGTERM (Nx sends one after the terminal's Ctrl-C) can't kill the process by default while it says its last
 * lines and exits. It did: a `lake:up` that had already delivered and stopped ended with no exit code.
 */
export function onInterrupt(handlers: InterruptHandlers): () => void {
  let interrupted = false;
  let removed = false;
  const policy = interruptPolicy(handlers);
  const listener = (signal: NodeJS.Signals) => {
    interrupted = true;
    if (!removed) policy(signal);
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    removed = true;
    if (interrupted) return;
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}

/** How a signal is named in "stopped early" messages. */
export function interruptReason(signal: NodeJS.Signals): string {
  return signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : `interrupted (${signal})`;
}

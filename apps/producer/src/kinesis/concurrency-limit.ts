/** At most `max` tasks running at once: the caller waits for a free slot, then starts a task in it. */
export class ConcurrencyLimit {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /** Resolves once fewer than `max` tasks are running. */
  async whenFree(): Promise<void> {
    while (this.running.size >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Starts a task (after whenFree); the task must not reject. */
  start(task: () => Promise<void>): void {
    const running: Promise<void> = task().finally(() => {
      this.running.delete(running);
      this.waiting.shift()?.();
    });
    this.running.add(running);
  }

  /** Resolves when every task started so far has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}

/**
 * Runs tasks one after another per key and concurrently across keys: what keeps one session's
 * deliveries in arrival order without letting a slow session hold up the others.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Number of keys with queued or running work. */
  get activeKeys(): number {
    return this.tails.size;
  }

  /** Queues `task` behind the key's earlier tasks; resolves when it has run. `task` must not reject. */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task);
    this.tails.set(key, next);
    void next.then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves when every task queued so far, and any queued while waiting, has run. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}

/**
 * Wakes held long-polls when their table got newly sequenced log entries. A request notes
 * `version` before it reads; waiting "since" that version returns at once if its table moved in
 * between, so a change that lands between the read and the wait is never slept through.
 */
interface Waiter {
  table: string;
  wake: () => void;
}

export class LiveNotifier {
  #version = 0;
  readonly #lastChange = new Map<string, number>();
  readonly #waiters = new Set<Waiter>();
  #closed = false;

  get version(): number {
    return this.#version;
  }

  get waiting(): number {
    return this.#waiters.size;
  }

  changed(tables: readonly string[]): void {
    this.#version += 1;
    for (const table of tables) this.#lastChange.set(table, this.#version);
    for (const waiter of [...this.#waiters]) {
      if (tables.includes(waiter.table)) waiter.wake();
    }
  }

  /** Resolves when `table` changed after `since`, after `ms`, on abort, or when the notifier closes. */
  waitFor(table: string, since: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || (this.#lastChange.get(table) ?? 0) > since || signal?.aborted || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = { table, wake: () => done() };
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#waiters.delete(waiter);
        resolve();
      };
      signal?.addEventListener("abort", done, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** Releases every held request (engine shutdown). */
  close(): void {
    this.#closed = true;
    for (const waiter of [...this.#waiters]) waiter.wake();
  }
}

import type { Db } from "./db.server";

/**
 * Runs `drain` in the background whenever NOTIFY `channel` arrives and every `sweepMs` (for rows
 * whose retry became due), at most one drain at a time: a wake-up while one runs starts another
 * right after it. Used by the webhook dispatcher and the mail sender; returns stop(), which waits
 * for the drain in progress.
 */
export async function startDrainLoop(db: Db, options: { channel: string; sweepMs: number; label: string; drain: () => Promise<unknown> }): Promise<() => Promise<void>> {
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = false;
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = options
      .drain()
      .catch((error: Error) => console.error(`${options.label} failed: ${error.message}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const unlisten = await db.listen(options.channel, kick);
  const timer = setInterval(kick, options.sweepMs);
  timer.unref();
  kick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await unlisten();
    await running;
  };
}

/**
 * Claims a batch with `claim`, handles its rows at once, and claims again until nothing is left;
 * answers each row's outcome by id. The queue's claim decides what is due and that no other process
 * holds the row (webhook deliveries, notification mails).
 */
export async function drainClaimed<T extends { id: string }>(claim: () => Promise<T[]>, handle: (row: T) => Promise<string>): Promise<Record<string, string>> {
  const outcomes: Record<string, string> = {};
  for (;;) {
    const claimed = await claim();
    if (claimed.length === 0) return outcomes;
    const results = await Promise.all(claimed.map(handle));
    claimed.forEach((row, i) => (outcomes[row.id] = results[i]));
  }
}

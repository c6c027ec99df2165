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

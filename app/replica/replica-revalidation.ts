/**
 * The shell revalidates the page after each live replica commit so the pages' clientLoaders re-read
 * the replica. The root loader (language, branding, theme) has nothing to do with replica rows:
 * asking the server for it on every live change cost a round trip before the change showed, and
 * failed offline. The shell marks its revalidations; root's shouldRevalidate skips them.
 *
 * Shared by server and client modules (root.tsx), so no `.client` suffix; on the server the flag is
 * never set.
 */
let pendingReplicaRevalidation = false;
let clearTimer: ReturnType<typeof setTimeout> | undefined;

/** Call right before `revalidate()` when the reason is new replica rows. */
export function markReplicaRevalidation(): void {
  pendingReplicaRevalidation = true;
  clearTimeout(clearTimer);
  // Revalidation asks shouldRevalidate within the same task or a few microtasks later; a mark that
  // was never read must not swallow a later, unrelated revalidate().
  clearTimer = setTimeout(() => {
    pendingReplicaRevalidation = false;
  }, 1_000);
}

/** True (once) when the revalidation under way was started for new replica rows. */
export function takeReplicaRevalidation(): boolean {
  const marked = pendingReplicaRevalidation;
  pendingReplicaRevalidation = false;
  return marked;
}

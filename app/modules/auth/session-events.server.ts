/**
 * "This session's (or this user's sessions') sign-in state or active account changed." Caches of
 * session-derived data (the shape gateway's session → scope cache) listen and drop their entries;
 * the session functions announce it after their write. In-process only: caches keep their own
 * short TTL for changes made elsewhere.
 */
export type SessionChange = { sessionId: string } | { userId: string };

const listeners = new Set<(change: SessionChange) => void>();

export function onSessionChange(listener: (change: SessionChange) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceSessionChange(change: SessionChange): void {
  for (const listener of listeners) listener(change);
}

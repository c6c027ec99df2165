import { openReplica, ReplicaError, wipeAllReplicas, type Replica } from "../../electric/replica/replica.client";

/**
 * The tab's replica for the signed-in contact's active account. Module state rather than React
 * context, because clientLoaders run outside React and read from it.
 */
let active: Replica | null = null;

export function activateReplica(userId: string, accountId: string): Replica {
  if (active && active.userId === userId && active.accountId === accountId && active.role() !== "closed") return active;
  active?.close();
  active = openReplica({ userId, accountId });
  return active;
}

export function getActiveReplica(): Replica | null {
  return active && active.role() !== "closed" ? active : null;
}

/**
 * After the contact changed something through a form (a quote decision, …): fetch those shapes now.
 * Over HTTP/1.1 only a few hot shapes stay live and the rest catch up in 15 s rounds
 * (electric/replica/sync.ts), so the pages' clientLoaders would read the old row until then. Waits at
 * most `maxWaitMs`; the page has the server's answer meanwhile. No-op without an open replica or in
 * live mode (the streams bring the change themselves).
 */
export async function refreshReplicaShapes(shapes: string[], maxWaitMs = 2_000): Promise<void> {
  const replica = getActiveReplica();
  if (!replica) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, maxWaitMs);
  });
  try {
    await Promise.race([replica.refresh(shapes).catch((error: unknown) => console.warn("refreshing the replica failed:", error)), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A list whose shapes are not live over HTTP/1.1 (returns, tickets: staff change them) asks for
 * their changes when it opens, instead of showing rows up to one catch-up round (15 s) old; what
 * arrives is applied and re-renders the page like any live change. Not awaited: the list shows the
 * replica's rows at once. A no-op when nothing changed, offline, or in live mode.
 */
export function catchUpInBackground(shapes: string[]): void {
  void getActiveReplica()?.refresh(shapes).catch((error: unknown) => console.warn("catching the replica up failed:", error));
}

/**
 * Stops answering from this replica, e.g. while an account switch is under way: the pages' loaders
 * run before the shell has opened the next account's replica, and must not read the old one.
 */
export function deactivateReplica(): void {
  active?.close();
  active = null;
  access = null;
}

/**
 * What the contact's role may read, as the portal shell's loader said. The replica cannot tell:
 * a role without `invoices.read` gets the invoice shapes empty, but still every file.
 */
export interface ReplicaAccess {
  invoices: boolean;
  /** Where the overview's "what changed" starts (the server computed it: overview.server.ts activitySince). */
  activitySince: { since: string; firstVisit: boolean };
}

let access: ReplicaAccess | null = null;

export function setReplicaAccess(next: ReplicaAccess): void {
  access = next;
}

/** null until the shell said (then pages read from the server). */
export function getReplicaAccess(): ReplicaAccess | null {
  return access;
}

/**
 * Logout and the end of a view-as: delete every replica and cached page of this origin, then drop
 * this tab's handle. The open replica is wiped by its own worker, which holds the database's lock
 * and files. Closing it first left its files to the lock-guarded sweep of wipeAllReplicas while the
 * closing worker still held the lock, and the sweep skipped them (CI: a view-as Exit kept its replica).
 */
export async function wipeReplicas(): Promise<void> {
  await Promise.all([
    wipeAllReplicas().catch((error: unknown) => console.warn("wiping the replica failed:", error)),
    "caches" in window ? caches.delete("ledgerlight-pages-v1") : Promise.resolve(false),
    "caches" in window ? caches.delete("ledgerlight-pdfs-v1") : Promise.resolve(false),
  ]);
  deactivateReplica();
}

/** Registers public/sw.js (it serves the app shell and visited pages offline). */
export async function registerServiceWorker(): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  } catch (error) {
    console.warn("service worker registration failed:", error);
  }
}

let pagesWarmed = false;

/**
 * Asks the service worker to keep the main lists (and recent PDFs) for offline use, once per tab.
 * The shell calls it when the replica is ready, not at sign-in: the six server-rendered lists and
 * up to 20 PDFs it fetches would compete with the initial sync for the same two cores.
 */
export async function warmOfflinePages(): Promise<void> {
  if (pagesWarmed || !("serviceWorker" in navigator)) return;
  pagesWarmed = true;
  try {
    const ready = await navigator.serviceWorker.ready;
    ready.active?.postMessage({ type: "warm-pages" });
  } catch (error) {
    console.warn("warming the offline pages failed:", error);
  }
}

/**
 * For clientLoaders: answers from the replica once the shapes the page reads are synced, otherwise
 * (first visit, syncing, another tab busy, any replica error) from the server loader.
 */
const OFFLINE_OPEN_WAIT_MS = 10_000;

export async function readReplicaOr<T>(
  shapes: readonly string[],
  read: (replica: Replica) => Promise<T | null>,
  serverLoader: () => Promise<T>,
): Promise<T> {
  const isReady = (replica: Replica | null) => {
    const status = replica?.status();
    return Boolean(status && shapes.every((name) => status.shapes.find((s) => s.name === name)?.hasData));
  };
  let replica = getActiveReplica();
  // Offline, the server cannot answer: right after an offline reload the replica is still opening,
  // so wait for it (bounded) rather than fail the page with a network error.
  for (let waited = 0; !isReady(replica) && !navigator.onLine && waited < OFFLINE_OPEN_WAIT_MS; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    replica = getActiveReplica();
  }
  if (!replica || !isReady(replica)) return serverLoader();
  try {
    const value = await read(replica);
    return value ?? serverLoader();
  } catch (error) {
    if (!(error instanceof ReplicaError)) console.warn("replica read failed, asking the server:", error);
    return serverLoader();
  }
}

import { getDb } from "~/db/connection.server";
import type { Queryable } from "~/db/db.server";
import { onSessionChange, type SessionChange } from "~/modules/auth/session-events.server";
import { getSessionUser, type SessionUser } from "~/modules/auth/session.server";
import { buildScope, sessionMemberships, type Scope } from "./scope.server";

/**
 * Who a shape-gateway request is for, from its Cookie header, cached for a few seconds.
 *
 * Every live client reconnects after every change, so without a cache each change costs every
 * client its session, membership and scope queries again (measured: most of the portal's CPU per
 * commit with 1,000 live clients). The staleness is bounded and explicit (docs/decisions/007):
 * - an entry is reloaded once it is older than SYNC_ACCESS_TTL_MS; an entry that held requests
 *   still use is reloaded by a sweep even when no new request comes in;
 * - logout, "sign out everywhere" (also run when a contact is disabled) and the account switch
 *   drop the entries of that session or user at once (auth/session-events.server.ts);
 * - when a reload or a drop finds the access changed (signed out, disabled, membership removed,
 *   scope or role changed), the entry's `revoked` signal fires: held long-polls of that session
 *   end and are answered again under the new access (401/403, or 409 for a changed scope).
 * So a change made through the session functions applies at once, any other change (a membership
 * removed by an admin or the ERP feed) within SYNC_ACCESS_TTL_MS + SWEEP_MS.
 */

export const SYNC_ACCESS_TTL_MS = 5_000;
const SWEEP_MS = 1_000;
const MAX_ENTRIES = 10_000;

export type SyncAccess =
  | { kind: "signed-out" }
  | { kind: "staff" }
  | { kind: "no-account" }
  | { kind: "contact"; user: SessionUser; scope: Scope };

export interface SyncAccessGrant {
  access: SyncAccess;
  /** Fires when this access no longer holds (see above). */
  revoked: AbortSignal;
  /**
   * Calls `listener` once when this access no longer holds (at once if it already does); returns
   * the unsubscribe. What the gateway uses per held request: a Set, so 1,000 held long-polls of
   * one session add and remove in O(1) each (an AbortSignal's listener list is scanned linearly
   * on every removeEventListener).
   */
  onRevoke: (listener: () => void) => () => void;
  /** Call when the request is answered (entries in use are revalidated by the sweep). */
  release: () => void;
}

interface Entry {
  access: SyncAccess;
  fingerprint: string;
  loadedAt: number;
  revoker: AbortController;
  /** What onRevoke() registered and not yet unsubscribed. */
  listeners: Set<() => void>;
  /** Requests currently holding this access (held long-polls). */
  holders: number;
  reloading: Promise<void> | null;
}

export type SyncAccessLoader = (cookie: string) => Promise<SyncAccess>;

export class SyncAccessCache {
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Entry>>();
  #sweeper: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly load: SyncAccessLoader,
    readonly ttlMs = SYNC_ACCESS_TTL_MS,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  async get(cookie: string): Promise<SyncAccessGrant> {
    let entry = this.#entries.get(cookie);
    if (entry && Date.now() - entry.loadedAt >= this.ttlMs) {
      await this.#reload(cookie, entry);
      entry = this.#entries.get(cookie);
    }
    if (!entry) entry = await this.#loadEntry(cookie);
    const held = entry;
    held.holders += 1;
    this.#startSweeper();
    let released = false;
    return {
      access: held.access,
      revoked: held.revoker.signal,
      onRevoke: (listener) => {
        if (held.revoker.signal.aborted) {
          listener();
          return () => undefined;
        }
        held.listeners.add(listener);
        return () => void held.listeners.delete(listener);
      },
      release: () => {
        if (released) return;
        released = true;
        held.holders -= 1;
      },
    };
  }

  /** Drops the entries of a session or of all a user's sessions and revokes what they granted. */
  invalidate(change: SessionChange): void {
    for (const [cookie, entry] of this.#entries) {
      const { access } = entry;
      const user = access.kind === "contact" ? access.user : null;
      const matches = user !== null && ("sessionId" in change ? user.sessionId === change.sessionId : user.id === change.userId);
      if (matches) this.#drop(cookie, entry);
    }
  }

  /** Revokes and forgets everything (tests, shutdown). */
  clear(): void {
    for (const [cookie, entry] of this.#entries) this.#drop(cookie, entry);
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = null;
  }

  /**
   * Forgets `entry` and revokes what it granted. Only deletes the map's entry for `cookie` when it
   * is still this one: a late drop of a replaced entry (a reload that failed after the entry had
   * been dropped and loaded again) must not evict the fresh entry of the same session.
   */
  #drop(cookie: string, entry: Entry): void {
    if (this.#entries.get(cookie) === entry) this.#entries.delete(cookie);
    if (entry.revoker.signal.aborted) return;
    entry.revoker.abort();
    const listeners = [...entry.listeners];
    entry.listeners.clear();
    for (const listener of listeners) listener();
  }

  #loadEntry(cookie: string): Promise<Entry> {
    let loading = this.#loading.get(cookie);
    if (!loading) {
      loading = this.load(cookie)
        .then((access) => {
          const entry: Entry = { access, fingerprint: JSON.stringify(access), loadedAt: Date.now(), revoker: new AbortController(), listeners: new Set(), holders: 0, reloading: null };
          if (this.#entries.size >= MAX_ENTRIES) this.#evictIdle();
          this.#entries.set(cookie, entry);
          return entry;
        })
        .finally(() => this.#loading.delete(cookie));
      this.#loading.set(cookie, loading);
    }
    return loading;
  }

  /** Reloads an expired entry: kept (and its grants with it) when nothing changed, else revoked. */
  #reload(cookie: string, entry: Entry): Promise<void> {
    entry.reloading ??= this.load(cookie)
      .then((access) => {
        if (this.#entries.get(cookie) !== entry) return; // dropped meanwhile
        if (JSON.stringify(access) === entry.fingerprint) {
          entry.loadedAt = Date.now();
        } else {
          this.#drop(cookie, entry);
        }
      })
      .catch(() => this.#drop(cookie, entry)) // unknown access is no access: the next request loads again
      .finally(() => {
        entry.reloading = null;
      });
    return entry.reloading;
  }

  #evictIdle(): void {
    for (const [cookie, entry] of this.#entries) {
      if (entry.holders === 0) this.#drop(cookie, entry);
      if (this.#entries.size < MAX_ENTRIES / 2) return;
    }
  }

  /** Revalidates entries that held requests still rely on; forgets idle expired ones. */
  #sweep(): void {
    const now = Date.now();
    for (const [cookie, entry] of this.#entries) {
      if (now - entry.loadedAt < this.ttlMs) continue;
      if (entry.holders > 0) void this.#reload(cookie, entry);
      else this.#drop(cookie, entry);
    }
    if (this.#entries.size === 0 && this.#sweeper) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
  }

  #startSweeper(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(SWEEP_MS, this.ttlMs));
    this.#sweeper.unref();
  }
}

/** What the gateway answers for this cookie, from the database (no cache). */
export async function loadSyncAccess(cookie: string): Promise<SyncAccess> {
  // getSessionUser reads only the Cookie header.
  const user = await getSessionUser(new Request("http://sync.local/", { headers: cookie ? { cookie } : {} }));
  if (!user) return { kind: "signed-out" };
  if (user.kind !== "contact") return { kind: "staff" };
  const scope = await activeScope(await getDb(), user);
  if (!scope) return { kind: "no-account" };
  return { kind: "contact", user, scope };
}

/**
 * The scope requireContact() would build, without its redirects and without switching the
 * session's active account (a sync request must not change what the pages show).
 */
export async function activeScope(db: Queryable, user: SessionUser): Promise<Scope | null> {
  const memberships = await sessionMemberships(db, user);
  const active = memberships.find((m) => m.accountId === user.activeAccountId) ?? memberships[0];
  if (!active) return null;
  return buildScope(db, user, active.accountId);
}

let processCache: SyncAccessCache | null = null;

/** The process's cache, subscribed to session changes. */
export function syncAccessCache(): SyncAccessCache {
  if (!processCache) {
    const cache = new SyncAccessCache(loadSyncAccess);
    onSessionChange((change) => cache.invalidate(change));
    processCache = cache;
  }
  return processCache;
}

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { onSessionChange } from "~/modules/auth/session-events.server";
import { destroyUserSession, revokeAllSessions, setActiveAccount } from "~/modules/auth/session.server";
import { signIn } from "../../../test/support/portal";
import { loadSyncAccess, SyncAccessCache, type SyncAccess } from "./sync-access.server";

/**
 * The shape gateway's session → scope cache: cached within the TTL, dropped at once by the
 * session functions, revalidated after the TTL (also for requests that are only held), and a
 * change of access revokes what the old entry granted.
 */

let db: Db;
let loads = 0;
let cache: SyncAccessCache;
let unsubscribe: () => void;
const TTL_MS = 300;
// Signed in up front (each sign-in goes through the portal build; slow on a loaded machine).
const cookies: Record<string, string> = {};
const PERSONAS: [string, string][] = [
  ["unchanged", "buyer@kessler.example"],
  ["logout", "finance@kessler.example"],
  ["everywhere", "viewer@kessler.example"],
  ["switch", "buyer@kessler.example"],
  ["membership", "buyer@nordhavn.example"],
  ["disabled", "buyer@kessler.example"],
];

beforeAll(async () => {
  db = await getDb();
  for (const [name, email] of PERSONAS) cookies[name] = await signIn(email);
  cache = new SyncAccessCache(async (cookie) => {
    loads += 1;
    return loadSyncAccess(cookie);
  }, TTL_MS);
  unsubscribe = onSessionChange((change) => cache.invalidate(change));
});

afterAll(() => {
  unsubscribe();
  cache.clear();
});

const kind = (access: SyncAccess) => access.kind;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sync access cache", () => {
  it("loads a session once per TTL, then revalidates and keeps the grant when nothing changed", async () => {
    const cookie = cookies.unchanged;
    const before = loads;
    const first = await cache.get(cookie);
    const second = await cache.get(cookie);
    expect(kind(first.access)).toBe("contact");
    expect(second.access).toBe(first.access);
    expect(loads - before).toBe(1);
    await sleep(TTL_MS + 50);
    const third = await cache.get(cookie);
    expect(loads - before).toBe(2);
    expect(third.revoked).toBe(first.revoked); // unchanged access: held requests keep going
    expect(first.revoked.aborted).toBe(false);
    for (const grant of [first, second, third]) grant.release();
  });

  it("drops a session at once on logout and on sign-out-everywhere, revoking held grants", async () => {
    const cookie = cookies.logout;
    const held = await cache.get(cookie);
    await destroyUserSession(new Request("http://portal.test/logout", { headers: { cookie } }));
    expect(held.revoked.aborted).toBe(true);
    expect(kind((await cache.get(cookie)).access)).toBe("signed-out");

    const other = cookies.everywhere;
    const grant = await cache.get(other);
    const access = grant.access;
    if (access.kind !== "contact") throw new Error("expected a contact");
    await revokeAllSessions(access.user.id);
    expect(grant.revoked.aborted).toBe(true);
    expect(kind((await cache.get(other)).access)).toBe("signed-out");
  });

  it("drops a session when its active account is switched", async () => {
    const cookie = cookies.switch;
    const grant = await cache.get(cookie);
    if (grant.access.kind !== "contact") throw new Error("expected a contact");
    await setActiveAccount(grant.access.user.sessionId, grant.access.scope.accountId);
    expect(grant.revoked.aborted).toBe(true);
  });

  it("revokes a held grant within the TTL when a membership is removed behind its back, and answers no-account", async () => {
    const cookie = cookies.membership;
    const held = await cache.get(cookie); // not released: a held long-poll
    expect(kind(held.access)).toBe("contact");
    await db.query(`DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = 'buyer@nordhavn.example')`);
    const removedAt = Date.now();
    await new Promise<void>((resolve) => held.revoked.addEventListener("abort", () => resolve(), { once: true }));
    expect(Date.now() - removedAt).toBeLessThan(TTL_MS + 5_000); // the sweep runs every TTL; generous for a loaded machine
    expect(kind((await cache.get(cookie)).access)).toBe("no-account");
    held.release();
  });

  it("revokes a disabled contact's grant within the TTL even without a session function", async () => {
    const cookie = cookies.disabled;
    const held = await cache.get(cookie);
    await db.query(`UPDATE users SET status = 'disabled' WHERE email = 'buyer@kessler.example'`);
    try {
      await new Promise<void>((resolve) => held.revoked.addEventListener("abort", () => resolve(), { once: true }));
      expect(kind((await cache.get(cookie)).access)).toBe("signed-out");
    } finally {
      await db.query(`UPDATE users SET status = 'active' WHERE email = 'buyer@kessler.example'`);
      held.release();
    }
  });

  it("calls onRevoke listeners once when the access ends, not unsubscribed ones, and a late one at once", async () => {
    const own = new SyncAccessCache(loadSyncAccess, 60_000);
    try {
      const grant = await own.get(cookies.unchanged);
      if (grant.access.kind !== "contact") throw new Error("expected a contact");
      const calls: string[] = [];
      grant.onRevoke(() => calls.push("a"));
      const stop = grant.onRevoke(() => calls.push("b"));
      grant.onRevoke(() => calls.push("c"));
      stop();
      own.invalidate({ sessionId: grant.access.user.sessionId });
      own.invalidate({ sessionId: grant.access.user.sessionId }); // nothing left to revoke
      expect(calls).toEqual(["a", "c"]);
      expect(grant.revoked.aborted).toBe(true);
      grant.onRevoke(() => calls.push("late"));
      expect(calls).toEqual(["a", "c", "late"]);
      grant.release();
    } finally {
      own.clear();
    }
  });

  it("keeps a session's fresh entry when the failed reload of its dropped predecessor ends late", async () => {
    let failNext: Promise<void> | null = null;
    let ownLoads = 0;
    const own = new SyncAccessCache(async (cookie) => {
      ownLoads += 1;
      const gate = failNext;
      failNext = null;
      if (gate) {
        await gate;
        throw new Error("the database went away");
      }
      return loadSyncAccess(cookie);
    }, 60_000);
    // Only Date is faked (timers stay real): the entry expires without waiting, and no sweep can
    // run between the clock jump and the next get (they follow in the same turn).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const cookie = cookies.unchanged;
      const first = await own.get(cookie);
      first.release();
      if (first.access.kind !== "contact") throw new Error("expected a contact");
      vi.setSystemTime(Date.now() + 61_000); // expired: the next get reloads it
      let fail!: () => void;
      failNext = new Promise<void>((resolve) => (fail = resolve));
      const waiting = own.get(cookie); // starts the reload that will fail
      own.invalidate({ sessionId: first.access.user.sessionId }); // drops the old entry meanwhile
      const fresh = await own.get(cookie); // and loads a new one
      const loadsBefore = ownLoads;
      fail();
      const late = await waiting;
      expect(fresh.revoked.aborted).toBe(false);
      expect(late.access).toBe(fresh.access); // the failed reload found the fresh entry and kept it
      expect((await own.get(cookie)).access).toBe(fresh.access);
      expect(ownLoads).toBe(loadsBefore);
    } finally {
      vi.useRealTimers();
      own.clear();
    }
  });
});

import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { startSmtpSink } from "../../../test/support/smtp";
import { getDb } from "~/db/connection.server";
import { createPostgresDb, type Db } from "~/db/db.server";
import { drainMailQueue, KEEP_SENT_MAILS_DAYS, MAX_MAIL_ATTEMPTS, pruneSentMails, queueMails, retryMail, startMailSender, type MailRetryOptions } from "./queue.server";

// A real SMTP server in this process; the portal reads SMTP_URL once, at its first mail.
const smtp = await startSmtpSink();
process.env.SMTP_URL = smtp.url;
const FAST: MailRetryOptions = { retries: 2, minTimeout: 10, maxTimeout: 30 };
// Other portal processes on the same database: their own connection pools.
const others: Db[] = [];
function anotherProcess(): Db {
  const db = createPostgresDb(process.env.DATABASE_URL!, { max: 4 });
  others.push(db);
  return db;
}

afterEach(() => {
  smtp.setFailing(false);
  smtp.failNext(0);
  smtp.setDelay(0);
});
afterAll(async () => {
  await Promise.all(others.map((db) => db.close()));
  await smtp.close();
});

/** Queues one mail per subject in one committed transaction, as an action does; answers their row ids. */
async function queue(...subjects: string[]): Promise<string[]> {
  const db = await getDb();
  await db.transaction((tx) =>
    queueMails(tx, { kind: "test.mail", reference: "T-TEST" }, async () => subjects.map((subject) => ({ to: "queue@kessler.example", language: "de" as const, subject, text: `Text of ${subject}` }))),
  );
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM mail_queue WHERE subject = ANY($1) ORDER BY subject`, [subjects]);
  return rows.map((r) => r.id);
}

async function row(id: string) {
  const { rows } = await (await getDb()).query<{ status: string; attempts: number; lastError: string | null; claimedUntil: Date | null }>(
    `SELECT status, attempts, last_error AS "lastError", claimed_until AS "claimedUntil" FROM mail_queue WHERE id = $1`,
    [id],
  );
  return rows[0];
}

const arrived = (subject: string) => smtp.mails.filter((m) => m.subject === subject);

async function until(check: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("notification mail queue", () => {
  it("sends a mail exactly once when the SMTP server answers 550 twice, then accepts it; every attempt has the same Message-ID", async () => {
    const [id] = await queue("Zweimal abgelehnt");
    smtp.failNext(2);
    const outcome = await drainMailQueue(await getDb(), { retry: FAST });
    expect(outcome).toEqual({ [id]: "sent" });
    expect(arrived("Zweimal abgelehnt")).toHaveLength(1);
    expect(arrived("Zweimal abgelehnt")[0]).toMatchObject({ to: ["queue@kessler.example"], text: "Text of Zweimal abgelehnt\n" });
    expect(arrived("Zweimal abgelehnt")[0].messageId).toBe(`<${id}@ledgerlight.localhost>`);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 3, claimedUntil: null });
    expect((await row(id)).lastError).toMatch(/550/);
    // Drained again: nothing is due, nothing is sent twice.
    expect(await drainMailQueue(await getDb(), { retry: FAST })).toEqual({});
    expect(arrived("Zweimal abgelehnt")).toHaveLength(1);
  });

  it("queues nothing for a rolled-back change, and a composition that fails loses the mail but not the change", async () => {
    const db = await getDb();
    await expect(
      db.transaction(async (tx) => {
        await queueMails(tx, { kind: "test.mail", reference: "T-ROLLBACK" }, async () => [{ to: "x@kessler.example", language: "en", subject: "Rolled back", text: "x" }]);
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const committed = await db.transaction(async (tx) => {
        await queueMails(tx, { kind: "test.mail", reference: "T-BROKEN" }, async () => {
          await tx.query(`SELECT * FROM no_such_table`); // aborts the transaction without the savepoint
          return [];
        });
        const { rows } = await tx.query<{ n: number }>(`SELECT 1 AS n`);
        return rows[0].n;
      });
      expect(committed).toBe(1);
      expect(String(logged.mock.calls[0]?.[0])).toMatch(/^notification mail "T-BROKEN test.mail" not queued: .*no_such_table/);
    } finally {
      logged.mockRestore();
    }
    const { rows } = await db.query(`SELECT 1 FROM mail_queue WHERE reference IN ('T-ROLLBACK', 'T-BROKEN')`);
    expect(rows).toEqual([]);
  });

  it("a restarted portal (a new sender) sends what the last run left pending, and waits out another sender's claim", async () => {
    const db = await getDb();
    const [leftPending, diedSending, beingSent] = await queue("Restart 1 pending", "Restart 2 died while sending", "Restart 3 claimed by a live process");
    // The old process died during an attempt: its lease ran out. A live process holds the third one.
    await db.query(`UPDATE mail_queue SET attempts = 1, claimed_until = now() - interval '1 second' WHERE id = $1`, [diedSending]);
    await db.query(`UPDATE mail_queue SET claimed_until = now() + interval '5 minutes' WHERE id = $1`, [beingSent]);

    const stop = await startMailSender(anotherProcess(), { sweepMs: 50, retry: FAST });
    try {
      await until(() => arrived("Restart 1 pending").length > 0 && arrived("Restart 2 died while sending").length > 0, "the pending mails");
      await new Promise((resolve) => setTimeout(resolve, 200)); // a few more sweeps
    } finally {
      await stop();
    }
    expect(arrived("Restart 1 pending")).toHaveLength(1);
    expect(arrived("Restart 2 died while sending")).toHaveLength(1);
    expect(arrived("Restart 3 claimed by a live process")).toHaveLength(0);
    expect(await row(leftPending)).toMatchObject({ status: "sent", attempts: 1 });
    expect(await row(diedSending)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await row(beingSent)).toMatchObject({ status: "pending", attempts: 0 });
    await db.query(`DELETE FROM mail_queue WHERE id = $1`, [beingSent]);
  });

  it(`keeps sent mails ${KEEP_SENT_MAILS_DAYS} days, pending and failed ones until they are sent`, async () => {
    const db = await getDb();
    const [oldSent, recentSent, oldFailed, oldPending] = await queue("Prune 1 old sent", "Prune 2 recent sent", "Prune 3 old failed", "Prune 4 old pending");
    const old = `now() - make_interval(days => ${KEEP_SENT_MAILS_DAYS + 1})`;
    await db.query(`UPDATE mail_queue SET status = 'sent', sent_at = ${old} WHERE id = $1`, [oldSent]);
    await db.query(`UPDATE mail_queue SET status = 'sent', sent_at = now() - interval '1 day' WHERE id = $1`, [recentSent]);
    await db.query(`UPDATE mail_queue SET status = 'failed', created_at = ${old} WHERE id = $1`, [oldFailed]);
    await db.query(`UPDATE mail_queue SET created_at = ${old}, next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [oldPending]);
    expect(await pruneSentMails(db)).toBe(1);
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM mail_queue WHERE id = ANY($1)`, [[oldSent, recentSent, oldFailed, oldPending]]);
    expect(rows.map((r) => r.id).sort()).toEqual([recentSent, oldFailed, oldPending].sort());
    await db.query(`DELETE FROM mail_queue WHERE id = ANY($1)`, [[recentSent, oldFailed, oldPending]]);
  });

  it("a sender wakes up when a transaction that queued mails commits", async () => {
    const stop = await startMailSender(anotherProcess(), { sweepMs: 60_000, retry: FAST });
    try {
      await queue("Woken by NOTIFY");
      await until(() => arrived("Woken by NOTIFY").length > 0, "the mail");
    } finally {
      await stop();
    }
  });

  it("two portal processes draining at once send each mail once", async () => {
    const subjects = Array.from({ length: 12 }, (_, i) => `Parallel ${String(i + 1).padStart(2, "0")}`);
    const ids = await queue(...subjects);
    smtp.setDelay(30);
    const [a, b] = await Promise.all([drainMailQueue(anotherProcess(), { retry: FAST, limit: 3 }), drainMailQueue(anotherProcess(), { retry: FAST, limit: 3 })]);
    expect(Object.keys(a).length).toBeGreaterThan(0);
    expect(Object.keys(b).length).toBeGreaterThan(0);
    expect(Object.keys(a).filter((id) => id in b)).toEqual([]);
    expect([...Object.keys(a), ...Object.keys(b)].sort()).toEqual([...ids].sort());
    for (const subject of subjects) expect(arrived(subject)).toHaveLength(1);
  });

  it(`a mail the server keeps refusing ends failed after ${MAX_MAIL_ATTEMPTS} attempts with the last error; a staff admin's retry sends it`, async () => {
    const db = await getDb();
    const [id] = await queue("Dauerhaft abgelehnt");
    smtp.setFailing(true);
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const waits: number[] = [];
      for (let round = 0; round < 10 && (await row(id)).status === "pending"; round++) {
        await drainMailQueue(db, { retry: FAST });
        const { rows } = await db.query<{ minutes: number }>(`SELECT round(extract(epoch FROM next_attempt_at - now()) / 60)::int AS minutes FROM mail_queue WHERE id = $1`, [id]);
        waits.push(rows[0].minutes);
        await db.query(`UPDATE mail_queue SET next_attempt_at = now() WHERE id = $1`, [id]); // the wait is over
      }
      // Rounds of three quick attempts, each next round later than the last; then it gives up.
      expect(waits.slice(0, 4)).toEqual([5, 20, 80, 320]);
      expect(waits).toHaveLength(5);
      expect(logged.mock.calls.at(-1)?.[0]).toMatch(/"T-TEST test.mail" to queue@kessler.example failed \(attempt 15 of 15, gave up\): .*550/);
    } finally {
      logged.mockRestore();
    }
    expect(await row(id)).toMatchObject({ status: "failed", attempts: MAX_MAIL_ATTEMPTS, claimedUntil: null });
    expect((await row(id)).lastError).toMatch(/550/);
    expect(await drainMailQueue(db, { retry: FAST })).toEqual({}); // failed mails are not retried by themselves
    expect(arrived("Dauerhaft abgelehnt")).toHaveLength(0);

    smtp.setFailing(false);
    const { rows: staff } = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@brandt-soehne.example'`);
    expect(await retryMail(db, { userId: staff[0].id, ip: "10.0.0.9", userAgent: "vitest" }, id)).toBe(true);
    expect(await retryMail(db, { userId: staff[0].id }, id)).toBe(false); // already back in line
    expect(await drainMailQueue(db, { retry: FAST })).toEqual({ [id]: "sent" });
    expect(arrived("Dauerhaft abgelehnt")).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: MAX_MAIL_ATTEMPTS + 1 });
    expect(await retryMail(db, { userId: staff[0].id }, id)).toBe(false); // a sent mail is not sent again
    const { rows: audit } = await db.query(
      `SELECT action, actor_user_id AS "actorUserId", entity_type AS "entityType", ip, details FROM audit_events WHERE entity_id = $1`,
      [id],
    );
    expect(audit).toEqual([
      {
        action: "mail.retried", actorUserId: staff[0].id, entityType: "mail", ip: "10.0.0.9",
        details: { kind: "test.mail", reference: "T-TEST", recipient: "queue@kessler.example", attempts: MAX_MAIL_ATTEMPTS, lastError: expect.stringMatching(/550/) },
      },
    ]);
  });
});

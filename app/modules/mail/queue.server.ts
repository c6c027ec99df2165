import pRetry, { AbortError } from "p-retry";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/connection.server";
import type { Db, Queryable } from "~/db/db.server";
import { drainClaimed, startDrainLoop } from "~/db/drain-loop.server";
import type { Language } from "~/i18n/i18n";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { isUuid } from "~/modules/ids";
import { sendMail } from "./mailer.server";

/**
 * The durable queue of notification mails (decision 032). `queueMails` writes them in the
 * transaction of the change that causes them (a rolled-back change mails nothing, a committed one
 * cannot lose its mails to a crash); the sender claims due rows (FOR UPDATE SKIP LOCKED and a lease,
 * as webhook deliveries are claimed, so two portal processes never send one mail twice), sends each
 * with a few quick retries (p-retry), then spaces later rounds out, and after MAX_MAIL_ATTEMPTS marks
 * it `failed` with the last error for staff at /admin/mail-queue. A mail that went out is never sent
 * again, except when the process dies between the server's answer and our bookkeeping: then the same
 * Message-ID goes out a second time after the lease.
 */

export const MAX_MAIL_ATTEMPTS = 15;

export interface MailRetryOptions {
  /** Quick retries within one round. */
  retries: number;
  minTimeout: number;
  maxTimeout: number;
}

/** Rounds of 3 attempts ~2 s and ~4 s apart; rounds 5, 20, 80, 320 minutes apart: about 7 hours before `failed`. */
export const DEFAULT_MAIL_RETRY: MailRetryOptions = { retries: 2, minTimeout: 2_000, maxTimeout: 10_000 };

/** A notification mail as composed: the row holds exactly this, plus what it is about. */
export interface QueuedMail {
  to: string;
  language: Language;
  subject: string;
  text: string;
}

export interface MailAbout {
  /** What happened: 'ticket.answered', 'staff.return.requested', … */
  kind: string;
  /** The record's number (T-1004, RMA-1002): the admin page and the log name it, never the body. */
  reference: string;
}

/**
 * Composes and queues mails inside the caller's transaction. Composition reads the transaction's own
 * rows; should it fail (a bug, a missing row), its savepoint is rolled back and the failure logged, so
 * the caller's change still commits: a mail never fails the action that causes it.
 */
export async function queueMails(tx: Queryable, about: MailAbout, compose: () => Promise<QueuedMail[]>): Promise<number> {
  await tx.query("SAVEPOINT queue_mails");
  try {
    const mails = await compose();
    if (mails.length > 0) {
      await tx.query(
        `INSERT INTO mail_queue (kind, reference, recipient, language, subject, body)
         SELECT $1::text, $2::text, m.* FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS m`,
        [about.kind, about.reference, mails.map((m) => m.to), mails.map((m) => m.language), mails.map((m) => m.subject), mails.map((m) => m.text)],
      );
      // Delivered to the senders at commit, not before.
      await tx.query(`SELECT pg_notify('mail_queue', $1)`, [about.reference]);
    }
    await tx.query("RELEASE SAVEPOINT queue_mails");
    return mails.length;
  } catch (error) {
    await tx.query("ROLLBACK TO SAVEPOINT queue_mails");
    console.error(`notification mail "${about.reference} ${about.kind}" not queued: ${(error as Error).message}`);
    return 0;
  }
}

interface Claimed {
  id: string;
  kind: string;
  reference: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

async function claimDue(db: Queryable, limit: number): Promise<Claimed[]> {
  const { rows } = await db.query<Claimed>(
    `WITH due AS (
       SELECT id FROM mail_queue
        WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE mail_queue m SET claimed_until = now() + interval '5 minutes'
       FROM due WHERE m.id = due.id
     RETURNING m.id, m.kind, m.reference, m.recipient, m.subject, m.body, m.attempts`,
    [limit],
  );
  return rows;
}

/** `<row id@sender's domain>`: the same for every attempt of one mail. */
function messageIdOf(id: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(getConfig().MAIL_FROM)?.[1] ?? "ledgerlight.localhost";
  return `<${id}@${domain}>`;
}

async function sendOne(db: Queryable, mail: Claimed, retry: MailRetryOptions): Promise<"sent" | "pending" | "failed"> {
  let attempts = mail.attempts;
  let lastError = "";
  const attempt = async () => {
    attempts++;
    try {
      await sendMail({ to: mail.recipient, subject: mail.subject, text: mail.body, messageId: messageIdOf(mail.id) });
    } catch (error) {
      lastError = (error as Error).message;
      await db.query(`UPDATE mail_queue SET attempts = $2, last_error = $3 WHERE id = $1`, [mail.id, attempts, lastError]);
      throw attempts >= MAX_MAIL_ATTEMPTS ? new AbortError(error as Error) : error;
    }
  };
  try {
    await pRetry(attempt, { retries: retry.retries, minTimeout: retry.minTimeout, maxTimeout: retry.maxTimeout, factor: 2, randomize: true });
    await db.query(`UPDATE mail_queue SET status = 'sent', sent_at = now(), attempts = $2, claimed_until = NULL WHERE id = $1`, [mail.id, attempts]);
    return "sent";
  } catch {
    const final = attempts >= MAX_MAIL_ATTEMPTS;
    // The next round 5, 20, 80, 320 … minutes after this one, at most six hours.
    const round = Math.max(1, Math.ceil(attempts / (retry.retries + 1)));
    const waitMinutes = Math.min(360, 5 * 4 ** (round - 1));
    await db.query(
      `UPDATE mail_queue SET status = $2, claimed_until = NULL, next_attempt_at = now() + make_interval(mins => $3::int) WHERE id = $1`,
      [mail.id, final ? "failed" : "pending", waitMinutes],
    );
    const next = final ? "gave up" : `next try in ${waitMinutes} min`;
    console.error(`notification mail "${mail.reference} ${mail.kind}" to ${mail.recipient} failed (attempt ${attempts} of ${MAX_MAIL_ATTEMPTS}, ${next}): ${lastError}`);
    return final ? "failed" : "pending";
  }
}

/** Sends every mail that is due; answers what happened to each (row id → sent, pending, failed). */
export async function drainMailQueue(db: Queryable, options: { retry?: MailRetryOptions; limit?: number } = {}): Promise<Record<string, string>> {
  const retry = options.retry ?? DEFAULT_MAIL_RETRY;
  return drainClaimed(
    () => claimDue(db, options.limit ?? 20),
    (mail) => sendOne(db, mail, retry),
  );
}

/**
 * A staff admin puts a failed mail back in line (/admin/mail-queue): one more attempt now, then
 * `failed` again if the server still refuses. Audited as `mail.retried`. false: no failed mail with
 * that id (sent meanwhile, or not there).
 */
export async function retryMail(db: Db, actor: { userId: string; ip?: string | null; userAgent?: string | null }, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ kind: string; reference: string; recipient: string; attempts: number; lastError: string | null }>(
      `UPDATE mail_queue SET status = 'pending', next_attempt_at = now(), claimed_until = NULL
        WHERE id = $1 AND status = 'failed'
        RETURNING kind, reference, recipient, attempts, last_error AS "lastError"`,
      [id],
    );
    if (!rows[0]) return false;
    await recordAuditEvent(tx, {
      action: "mail.retried",
      actorUserId: actor.userId,
      entityType: "mail",
      entityId: id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: rows[0],
    });
    await tx.query(`SELECT pg_notify('mail_queue', $1)`, [rows[0].reference]);
    return true;
  });
}

export interface MailQueueRow {
  id: string;
  kind: string;
  reference: string;
  recipient: string;
  language: Language;
  subject: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
  sentAt: Date | null;
}

const ROW_COLUMNS = `id, kind, reference, recipient, language, subject, status, attempts, last_error AS "lastError",
  created_at AS "createdAt", next_attempt_at AS "nextAttemptAt", sent_at AS "sentAt"`;

/** The admin page's list, newest first, with how many mails each status holds. */
export async function listMailQueue(db: Queryable, filter: { status?: string | null; limit?: number } = {}) {
  const { rows } = await db.query<MailQueueRow>(
    `SELECT ${ROW_COLUMNS} FROM mail_queue WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, id LIMIT $2`,
    [filter.status ?? null, filter.limit ?? 200],
  );
  const counts = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM mail_queue GROUP BY status`);
  return { rows, counts: Object.fromEntries(counts.rows.map((c) => [c.status, c.n])) as Partial<Record<MailQueueRow["status"], number>> };
}

export interface QueuedMailDetail extends MailQueueRow {
  /** The text as queued: final, plain text (notification mails have no HTML part). */
  body: string;
  /** What every attempt sends as Message-ID, to find the mail in the relay's log. */
  messageId: string;
  /** A sender holds it until then (it is being sent now). */
  claimedUntil: Date | null;
}

/** One mail with its text, for staff who read the queue (/admin/mail-queue/:mailId); null: no such mail (or pruned). */
export async function getQueuedMail(db: Queryable, id: string): Promise<QueuedMailDetail | null> {
  if (!isUuid(id)) return null;
  const { rows } = await db.query<Omit<QueuedMailDetail, "messageId">>(
    `SELECT ${ROW_COLUMNS}, body, claimed_until AS "claimedUntil" FROM mail_queue WHERE id = $1`,
    [id],
  );
  return rows[0] ? { ...rows[0], messageId: messageIdOf(rows[0].id) } : null;
}

// The sender of this process (bootPortal starts it once; a dev rebuild must not start a second).
const globalForMail = globalThis as typeof globalThis & { __ledgerlightMailSender?: () => Promise<void> };

/** How long a sent mail stays listed at /admin/mail-queue before its row (and its text) is deleted. */
export const KEEP_SENT_MAILS_DAYS = 30;

/** Deletes sent mails older than KEEP_SENT_MAILS_DAYS; answers how many. Failed and pending ones stay. */
export async function pruneSentMails(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM mail_queue WHERE status = 'sent' AND sent_at < now() - make_interval(days => $1)`, [KEEP_SENT_MAILS_DAYS]);
  return rowCount;
}

/**
 * Wakes on NOTIFY mail_queue (a commit that queued mails) and every `sweepMs` for retries and for
 * pending mails of a restart; prunes old sent mails at most once an hour. Returns stop().
 */
export async function startMailSender(db: Db, options: { sweepMs?: number; retry?: MailRetryOptions } = {}): Promise<() => Promise<void>> {
  let prunedAt = 0;
  return startDrainLoop(db, {
    channel: "mail_queue",
    sweepMs: options.sweepMs ?? 30_000,
    label: "mail queue",
    drain: async () => {
      if (Date.now() - prunedAt > 3_600_000) {
        prunedAt = Date.now();
        await pruneSentMails(db);
      }
      return drainMailQueue(db, { retry: options.retry });
    },
  });
}

/** Starts this process's mail sender once (boot); the stop function it returns stops it. */
export async function startMailBackground(): Promise<() => Promise<void>> {
  globalForMail.__ledgerlightMailSender ??= await startMailSender(await getDb());
  return async () => {
    const stop = globalForMail.__ledgerlightMailSender;
    globalForMail.__ledgerlightMailSender = undefined;
    await stop?.();
  };
}

/**
 * Sends what is due now and resolves when it is out (or back in line after a failed round): what
 * tests await after an action, in place of a background sender. A mail whose retry is later stays
 * pending.
 */
export async function mailsSettled(options: { retry?: MailRetryOptions } = {}): Promise<void> {
  await drainMailQueue(await getDb(), options);
}

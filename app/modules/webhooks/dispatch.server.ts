import pRetry, { AbortError } from "p-retry";
import type { Db, Queryable } from "~/db/db.server";
import { drainClaimed, startDrainLoop } from "~/db/drain-loop.server";
import { SIGNATURE_HEADER, signPayload } from "./sign";

/**
 * Delivers webhook events: a delivery is claimed (so two dispatchers never send it at once), its
 * body is fixed at the first attempt (every retry sends the same bytes under the same event id),
 * each attempt is signed and logged, and failures are retried with backoff: a few quick retries
 * in-process, then later attempts spaced out up to MAX_ATTEMPTS. A delivery that succeeded is never
 * sent again; receivers deduplicate by Ledgerlight-Event-Id in case a success was not recorded
 * (the process died between the receiver's answer and our bookkeeping).
 */

export const MAX_ATTEMPTS = 12;

export interface RetryOptions {
  /** Quick retries within one dispatch. */
  retries: number;
  minTimeout: number;
  maxTimeout: number;
  /** Per attempt. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, minTimeout: 1_000, maxTimeout: 8_000, timeoutMs: 10_000 };

interface Claimed {
  id: string;
  event_id: string;
  attempts: number;
  payload: string | null;
  url: string;
  secret: string;
  type: string;
}

async function claimDue(db: Queryable, limit: number): Promise<Claimed[]> {
  const { rows } = await db.query<Claimed>(
    `WITH due AS (
       SELECT id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries d SET claimed_until = now() + interval '5 minutes'
       FROM due, webhook_endpoints e, webhook_events v
      WHERE d.id = due.id AND e.id = d.endpoint_id AND v.id = d.event_id
     RETURNING d.id, d.event_id, d.attempts, d.payload, e.url, e.secret, v.type`,
    [limit],
  );
  return rows;
}

/** The body receivers get: the event, its account and actor with their ERP ids, and (for contact events) the contact now. */
async function buildPayload(db: Queryable, eventId: string): Promise<string> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT v.id, v.type, v.occurred_at AS "occurredAt", v.entity_type AS "entityType", v.entity_id AS "entityId", v.data,
            a.id AS "accountId", a.erp_id AS "accountErpId", a.number AS "accountNumber",
            u.id AS "actorId", u.erp_id AS "actorErpId", u.email AS "actorEmail", u.kind AS "actorKind"
       FROM webhook_events v LEFT JOIN accounts a ON a.id = v.account_id LEFT JOIN users u ON u.id = v.actor_user_id
      WHERE v.id = $1`,
    [eventId],
  );
  const e = rows[0];
  let contact: unknown = undefined;
  if (String(e.type).startsWith("contact.") && e.entityType === "user" && e.entityId) {
    const found = await db.query(
      `SELECT u.id, u.erp_id AS "erpId", u.email, u.name, u.phone, u.job_title AS "jobTitle", u.language, u.status,
              m.role, m.include_subsidiaries AS "includeSubsidiaries"
         FROM users u LEFT JOIN memberships m ON m.user_id = u.id AND m.account_id = $2
        WHERE u.id::text = $1`,
      [e.entityId, e.accountId],
    );
    contact = found.rows[0] ?? null;
  }
  return JSON.stringify({
    id: e.id,
    type: e.type,
    occurredAt: e.occurredAt,
    account: e.accountId ? { id: e.accountId, erpId: e.accountErpId, number: e.accountNumber } : null,
    actor: e.actorId ? { id: e.actorId, erpId: e.actorErpId, email: e.actorEmail, kind: e.actorKind } : null,
    entity: e.entityType ? { type: e.entityType, id: e.entityId } : null,
    ...(contact !== undefined ? { contact } : {}),
    data: e.data,
  });
}

class DeliveryFailed extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

async function deliverOne(db: Queryable, delivery: Claimed, retry: RetryOptions): Promise<"succeeded" | "pending" | "failed"> {
  const body = delivery.payload ?? (await buildPayload(db, delivery.event_id));
  if (!delivery.payload) await db.query(`UPDATE webhook_deliveries SET payload = $2 WHERE id = $1`, [delivery.id, body]);
  let attempts = delivery.attempts;
  const attempt = async () => {
    attempts++;
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Ledgerlight-Webhooks/1",
          "Ledgerlight-Event-Id": delivery.event_id,
          "Ledgerlight-Event-Type": delivery.type,
          "Ledgerlight-Delivery-Id": delivery.id,
          "Ledgerlight-Attempt": String(attempts),
          [SIGNATURE_HEADER]: signPayload(delivery.secret, timestamp, body),
        },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(retry.timeoutMs),
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (e) {
      error = (e as Error).name === "TimeoutError" ? `no answer within ${retry.timeoutMs} ms` : (e as Error).message;
    }
    await db.query(`INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)`, [
      delivery.id,
      attempts,
      status,
      error,
      Date.now() - started,
    ]);
    await db.query(`UPDATE webhook_deliveries SET attempts = $2, last_status = $3, last_error = $4 WHERE id = $1`, [delivery.id, attempts, status, error]);
    if (error) {
      const failure = new DeliveryFailed(error, status);
      throw attempts >= MAX_ATTEMPTS ? new AbortError(failure) : failure;
    }
  };
  try {
    await pRetry(attempt, { retries: retry.retries, minTimeout: retry.minTimeout, maxTimeout: retry.maxTimeout, factor: 2, randomize: true });
    await db.query(`UPDATE webhook_deliveries SET status = 'succeeded', delivered_at = now(), claimed_until = NULL WHERE id = $1`, [delivery.id]);
    return "succeeded";
  } catch {
    const final = attempts >= MAX_ATTEMPTS;
    // Later attempts: 1, 2, 4 … minutes after the last, at most six hours.
    await db.query(
      `UPDATE webhook_deliveries SET status = $2, claimed_until = NULL,
              next_attempt_at = now() + make_interval(mins => least(360, power(2, greatest(0, $3::int - $4::int))::int))
        WHERE id = $1`,
      [delivery.id, final ? "failed" : "pending", attempts, retry.retries + 1],
    );
    return final ? "failed" : "pending";
  }
}

/** Delivers everything due; returns what happened to each delivery. */
export async function dispatchPending(db: Db, options: { retry?: RetryOptions; limit?: number } = {}): Promise<Record<string, string>> {
  const retry = options.retry ?? DEFAULT_RETRY;
  return drainClaimed(
    () => claimDue(db, options.limit ?? 20),
    (delivery) => deliverOne(db, delivery, retry),
  );
}

/** Puts a failed delivery back in line (admin "retry now"). */
export async function retryDelivery(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), claimed_until = NULL WHERE id = $1 AND status <> 'succeeded'`,
    [id],
  );
  if (rowCount === 1) await db.query(`SELECT pg_notify('webhook_deliveries', $1)`, [id]);
  return rowCount === 1;
}

/** Wakes on NOTIFY webhook_deliveries and every `sweepMs` for retries; returns stop(). */
export async function startWebhookDispatcher(db: Db, options: { sweepMs?: number; retry?: RetryOptions } = {}): Promise<() => Promise<void>> {
  return startDrainLoop(db, {
    channel: "webhook_deliveries",
    sweepMs: options.sweepMs ?? 30_000,
    label: "webhook dispatch",
    drain: () => dispatchPending(db, { retry: options.retry }),
  });
}

import type { Queryable } from "~/db/db.server";

/**
 * Portal-originated events for the ERP. Most arrive by themselves: the audit trail's trigger turns
 * contact changes, e-invoice downloads, quote decisions, return requests and ticket actions into
 * webhook events (webhook_event_type() in 020-erp-connectivity.sql). A module whose event is not an
 * audit action emits it here, in the transaction of the change, so the event exists exactly when the
 * change does.
 */
export interface PortalEvent {
  type: string;
  accountId?: string | null;
  actorUserId?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  data?: Record<string, unknown>;
}

export async function emitWebhookEvent(tx: Queryable, event: PortalEvent): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(`SELECT webhook_enqueue($1, $2, $3, $4, $5, NULL, $6::jsonb) AS id`, [
    event.type,
    event.accountId ?? null,
    event.actorUserId ?? null,
    event.entityType ?? null,
    event.entityId ?? null,
    JSON.stringify(event.data ?? {}),
  ]);
  return rows[0].id;
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  type: string;
  endpoint: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  nextAttemptAt: Date;
  payload: string | null;
  log: { attempt: number; at: string; statusCode: number | null; error: string | null; durationMs: number | null }[];
}

/** The delivery log of the admin page, newest first, each with its attempts. */
export async function listDeliveries(db: Queryable, filter: { status?: string | null; limit?: number } = {}): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT d.id, d.event_id AS "eventId", v.type, e.name AS endpoint, d.status, d.attempts, d.last_status AS "lastStatus",
            d.last_error AS "lastError", d.created_at AS "createdAt", d.delivered_at AS "deliveredAt", d.next_attempt_at AS "nextAttemptAt",
            d.payload,
            coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'error', a.error,
                                                         'durationMs', a.duration_ms) ORDER BY a.attempt)
                        FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS log
       FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE ($1::text IS NULL OR d.status = $1)
      ORDER BY d.created_at DESC LIMIT $2`,
    [filter.status ?? null, filter.limit ?? 100],
  );
  return rows;
}

import type { Queryable } from "~/db/db.server";

export interface AuditEvent {
  action: string;
  actorUserId?: string | null;
  impersonatorUserId?: string | null;
  accountId?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
}

/** Appends one event to the audit trail; pass the transaction when the audited change is in one. */
export async function recordAuditEvent(db: Queryable, event: AuditEvent): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (action, actor_user_id, impersonator_user_id, account_id, entity_type, entity_id, ip, user_agent, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      event.action,
      event.actorUserId ?? null,
      event.impersonatorUserId ?? null,
      event.accountId ?? null,
      event.entityType ?? null,
      event.entityId ?? null,
      event.ip ?? null,
      event.userAgent?.slice(0, 500) ?? null,
      JSON.stringify(event.details ?? {}),
    ],
  );
}

/** Where a request came from, for the audit trail. */
export function requestOrigin(request: Request, clientIp: string | undefined) {
  return { ip: clientIp ?? null, userAgent: request.headers.get("user-agent") };
}

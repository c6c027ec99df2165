import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Queryable } from "~/db/db.server";

/**
 * Outbound webhook endpoints: where portal-originated events go (the ERP's receiver), which events,
 * and the secret their deliveries are signed with. Staff admins see the secret to configure the
 * receiver.
 */

/** The event types the portal emits (see webhook_event_type() in db/migrations/020-erp-connectivity.sql). */
export const EVENT_TYPES = [
  "contact.invited",
  "contact.reinvited",
  "contact.invitation_accepted",
  "contact.disabled",
  "contact.enabled",
  "contact.membership_removed",
  "einvoice.downloaded",
  "quote.*",
  "return.*",
  "ticket.*",
] as const;

export const EndpointInputSchema = z.object({
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(100, "is too long"),
  url: z
    .string({ error: "is required" })
    .trim()
    .refine((v) => {
      try {
        const url = new URL(v);
        return url.protocol === "https:" || url.protocol === "http:";
      } catch {
        return false;
      }
    }, "must be an http:// or https:// URL"),
  events: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,]+/)).map((e) => e.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^(\*|[a-z_]+\.(\*|[a-z_]+))$/, "must be event types like contact.* or einvoice.downloaded"))
        .min(1, "must name at least one event type (* for all)"),
    ),
  enabled: z
    .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false")])
    .optional()
    .transform((v) => v === true || v === "on" || v === "true"),
});

export type EndpointInput = z.output<typeof EndpointInputSchema>;

export interface WebhookEndpoint {
  id: string;
  name: string;
  url: string;
  secret: string;
  events: string[];
  enabled: boolean;
  createdAt: Date;
  pending: number;
  failed: number;
}

const newSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

export async function createEndpoint(db: Queryable, input: EndpointInput, userId: string | null): Promise<{ id: string; secret: string }> {
  const secret = newSecret();
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO webhook_endpoints (name, url, secret, events, enabled, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [input.name, input.url, secret, input.events, input.enabled, userId],
  );
  return { id: rows[0].id, secret };
}

export async function updateEndpoint(db: Queryable, id: string, input: EndpointInput): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE webhook_endpoints SET name = $2, url = $3, events = $4, enabled = $5 WHERE id = $1`, [
    id,
    input.name,
    input.url,
    input.events,
    input.enabled,
  ]);
  return rowCount === 1;
}

export async function rotateEndpointSecret(db: Queryable, id: string): Promise<string | null> {
  const secret = newSecret();
  const { rowCount } = await db.query(`UPDATE webhook_endpoints SET secret = $2 WHERE id = $1`, [id, secret]);
  return rowCount === 1 ? secret : null;
}

export async function deleteEndpoint(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [id])).rowCount === 1;
}

export async function listEndpoints(db: Queryable): Promise<WebhookEndpoint[]> {
  const { rows } = await db.query<WebhookEndpoint>(
    `SELECT e.id, e.name, e.url, e.secret, e.events, e.enabled, e.created_at AS "createdAt",
            count(d.id) FILTER (WHERE d.status = 'pending')::int AS pending,
            count(d.id) FILTER (WHERE d.status = 'failed')::int AS failed
       FROM webhook_endpoints e LEFT JOIN webhook_deliveries d ON d.endpoint_id = e.id
      GROUP BY e.id ORDER BY e.name`,
  );
  return rows;
}

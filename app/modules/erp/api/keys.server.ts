import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "~/db/db.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";

/**
 * API keys for the ERP push API. A key is shown once, when it is created; the database keeps only
 * its SHA-256 (keys are 192 random bits, so an unsalted hash is as good as a password hash here and
 * lets a request find its key with one indexed lookup) and a prefix to tell keys apart.
 * Scopes: `erp:write` writes every entity, `erp:write:<entity>` one entity (upsert and delete).
 */

export const KEY_PREFIX = "llk_";

export interface ApiKeyRow {
  id: string;
  name: string;
  keyPrefix: string;
  scopes: string[];
  rateLimitPerMinute: number;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface AuthenticatedKey {
  id: string;
  name: string;
  scopes: string[];
  rateLimitPerMinute: number;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function keyAllows(scopes: readonly string[], entity: string): boolean {
  return scopes.includes("erp:write") || scopes.includes(`erp:write:${entity}`);
}

export interface Actor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

export async function createApiKey(
  db: Queryable,
  actor: Actor,
  input: { name: string; scopes: string[]; rateLimitPerMinute: number; expiresAt?: string | null },
): Promise<{ id: string; key: string }> {
  const key = `${KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO api_keys (name, key_prefix, key_hash, scopes, created_by, rate_limit_per_minute, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [input.name, key.slice(0, 12), hashApiKey(key), input.scopes, actor.userId, input.rateLimitPerMinute, input.expiresAt ?? null],
  );
  await recordAuditEvent(db, {
    action: "erp.api_key_created",
    actorUserId: actor.userId,
    entityType: "api_key",
    entityId: rows[0].id,
    ip: actor.ip,
    userAgent: actor.userAgent,
    details: { name: input.name, scopes: input.scopes },
  });
  return { id: rows[0].id, key };
}

export async function revokeApiKey(db: Queryable, actor: Actor, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE api_keys SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, actor.userId]);
  if (rowCount === 1) {
    await recordAuditEvent(db, { action: "erp.api_key_revoked", actorUserId: actor.userId, entityType: "api_key", entityId: id, ip: actor.ip, userAgent: actor.userAgent });
  }
  return rowCount === 1;
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT k.id, k.name, k.key_prefix AS "keyPrefix", k.scopes, k.rate_limit_per_minute AS "rateLimitPerMinute",
            k.created_at AS "createdAt", u.email AS "createdBy", k.last_used_at AS "lastUsedAt", k.expires_at AS "expiresAt",
            k.revoked_at AS "revokedAt"
       FROM api_keys k LEFT JOIN users u ON u.id = k.created_by
      ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC`,
  );
  return rows;
}

export type KeyCheck =
  | { ok: true; key: AuthenticatedKey }
  | { ok: false; code: "missing_api_key" | "unknown_api_key" | "revoked_api_key" | "expired_api_key"; message: string };

/** The key of a request: `Authorization: Bearer <key>` (or `X-Api-Key: <key>`). */
export function apiKeyOf(request: Request): string | null {
  const authorization = request.headers.get("authorization");
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  return bearer ?? request.headers.get("x-api-key")?.trim() ?? null;
}

export async function checkApiKey(db: Queryable, key: string | null): Promise<KeyCheck> {
  if (!key) return { ok: false, code: "missing_api_key", message: "Send an API key: Authorization: Bearer <key>. Staff admins create keys under Admin → ERP → API keys." };
  const { rows } = await db.query<{ id: string; name: string; scopes: string[]; rate: number; revoked: boolean; expired: boolean }>(
    `SELECT id, name, scopes, rate_limit_per_minute AS rate, revoked_at IS NOT NULL AS revoked,
            coalesce(expires_at <= now(), false) AS expired
       FROM api_keys WHERE key_hash = $1`,
    [hashApiKey(key)],
  );
  const found = rows[0];
  if (!found) return { ok: false, code: "unknown_api_key", message: "The API key is not valid." };
  if (found.revoked) return { ok: false, code: "revoked_api_key", message: `The API key "${found.name}" was revoked.` };
  if (found.expired) return { ok: false, code: "expired_api_key", message: `The API key "${found.name}" has expired.` };
  // last_used_at at most once a minute per key: one write per request would be a hot row under load.
  await db.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [
    found.id,
  ]);
  return { ok: true, key: { id: found.id, name: found.name, scopes: found.scopes, rateLimitPerMinute: found.rate } };
}

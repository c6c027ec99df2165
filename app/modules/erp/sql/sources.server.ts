import { Cron } from "croner";
import { z } from "zod";
import type { Queryable } from "~/db/db.server";
import { ENTITY_NAMES } from "../entities/registry";

/**
 * SQL pull sources: a Postgres or MySQL/MariaDB database of the ERP, and per entity one query that
 * returns our field names (lines.<field> for a document's lines, one row per line) plus a watermark
 * column, ordered by the watermark. `:since` in the query is the last good watermark (NULL on the
 * first, full pull). Write `>= :since` when several rows can share a watermark value: re-reading the
 * boundary is harmless, records already applied come back unchanged.
 */

export const SOURCE_KINDS = ["postgres", "mysql"] as const;

const cronField = z
  .string()
  .trim()
  .max(100, "is too long")
  .transform((v) => (v === "" ? null : v))
  .nullable()
  .refine((v) => {
    if (v === null) return true;
    try {
      new Cron(v, { paused: true }).stop();
      return true;
    } catch {
      return false;
    }
  }, "is not a cron expression (like */15 * * * * for every 15 minutes)");

export const SourceInputSchema = z.object({
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(100, "is too long"),
  kind: z.enum(SOURCE_KINDS, { error: "must be postgres or mysql" }),
  connectionUrl: z
    .string({ error: "is required" })
    .trim()
    .refine((v) => /^(postgres(ql)?|mysql|mariadb):\/\//.test(v) || /^env:[A-Z_][A-Z0-9_]*$/.test(v), "must be a postgres:// or mysql:// URL, or env:VARIABLE"),
  schedule: cronField.optional().transform((v) => v ?? null),
  enabled: z
    .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false")])
    .optional()
    .transform((v) => v === true || v === "on" || v === "true"),
  batchSize: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(10000, "must be at most 10000").default(500),
});

export const QueryInputSchema = z.object({
  entity: z.enum(ENTITY_NAMES as [string, ...string[]], { error: `must be one of ${ENTITY_NAMES.join(", ")}` }),
  query: z.string({ error: "is required" }).trim().min(10, "is required").max(20000, "is too long").refine((q) => /^\s*(select|with)\b/i.test(q), "must be a SELECT (or WITH … SELECT) query"),
  watermarkColumn: z.string().trim().min(1, "is required").max(63, "is too long").default("watermark"),
});

export type SourceInput = z.output<typeof SourceInputSchema>;
export type QueryInput = z.output<typeof QueryInputSchema>;

export interface SqlQuery {
  id: string;
  entity: string;
  query: string;
  watermarkColumn: string;
  watermark: string | null;
  watermarkUpdatedAt: Date | null;
}

export interface SqlSource {
  id: string;
  name: string;
  kind: (typeof SOURCE_KINDS)[number];
  connectionUrl: string;
  schedule: string | null;
  enabled: boolean;
  batchSize: number;
  running: boolean;
  queries: SqlQuery[];
}

/** The URL to connect with: env:NAME reads it from the environment, and says so when it is unset. */
export function connectionUrlOf(source: Pick<SqlSource, "connectionUrl" | "name">): string {
  const m = /^env:([A-Z_][A-Z0-9_]*)$/.exec(source.connectionUrl);
  if (!m) return source.connectionUrl;
  const value = process.env[m[1]];
  if (!value) throw new Error(`SQL source "${source.name}": the environment variable ${m[1]} holding its connection URL is not set.`);
  return value;
}

/** For display: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

export async function listSources(db: Queryable): Promise<SqlSource[]> {
  const { rows } = await db.query<Omit<SqlSource, "queries">>(
    `SELECT id, name, kind, connection_url AS "connectionUrl", schedule, enabled, batch_size AS "batchSize",
            (lease_run_id IS NOT NULL AND lease_until > now()) AS running
       FROM erp_sql_sources ORDER BY name`,
  );
  const queries = await db.query<SqlQuery & { sourceId: string }>(
    `SELECT id, source_id AS "sourceId", entity, query, watermark_column AS "watermarkColumn", watermark,
            watermark_updated_at AS "watermarkUpdatedAt"
       FROM erp_sql_queries ORDER BY entity`,
  );
  const order = (entity: string) => ENTITY_NAMES.indexOf(entity);
  return rows.map((s) => ({
    ...s,
    queries: queries.rows.filter((q) => q.sourceId === s.id).sort((a, b) => order(a.entity) - order(b.entity)),
  }));
}

export async function getSource(db: Queryable, id: string): Promise<SqlSource | null> {
  return (await listSources(db)).find((s) => s.id === id) ?? null;
}

export async function createSource(db: Queryable, input: SourceInput, userId: string | null): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO erp_sql_sources (name, kind, connection_url, schedule, enabled, batch_size, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [input.name, input.kind, input.connectionUrl, input.schedule, input.enabled, input.batchSize, userId],
  );
  return rows[0].id;
}

export async function updateSource(db: Queryable, id: string, input: SourceInput): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE erp_sql_sources SET name = $2, kind = $3, connection_url = $4, schedule = $5, enabled = $6, batch_size = $7 WHERE id = $1`,
    [id, input.name, input.kind, input.connectionUrl, input.schedule, input.enabled, input.batchSize],
  );
  return rowCount === 1;
}

export async function deleteSource(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(`DELETE FROM erp_sql_sources WHERE id = $1`, [id])).rowCount === 1;
}

/** Sets the query of an entity; a changed query starts over with a full pull. */
export async function saveQuery(db: Queryable, sourceId: string, input: QueryInput): Promise<void> {
  await db.query(
    `INSERT INTO erp_sql_queries (source_id, entity, query, watermark_column) VALUES ($1, $2, $3, $4)
     ON CONFLICT (source_id, entity) DO UPDATE SET query = EXCLUDED.query, watermark_column = EXCLUDED.watermark_column,
       watermark = CASE WHEN erp_sql_queries.query = EXCLUDED.query AND erp_sql_queries.watermark_column = EXCLUDED.watermark_column
                        THEN erp_sql_queries.watermark END`,
    [sourceId, input.entity, input.query, input.watermarkColumn],
  );
}

export async function deleteQuery(db: Queryable, sourceId: string, entity: string): Promise<void> {
  await db.query(`DELETE FROM erp_sql_queries WHERE source_id = $1 AND entity = $2`, [sourceId, entity]);
}

/** The next pull of the entity (or of all) is a full one. */
export async function resetWatermark(db: Queryable, sourceId: string, entity: string | null): Promise<void> {
  await db.query(`UPDATE erp_sql_queries SET watermark = NULL, watermark_updated_at = now() WHERE source_id = $1 AND ($2::text IS NULL OR entity = $2)`, [
    sourceId,
    entity,
  ]);
}

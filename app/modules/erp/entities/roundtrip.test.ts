import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { runSqlPull } from "../sql/pull.server";
import { createSource, saveQuery } from "../sql/sources.server";
import { ROUNDTRIP_TABLES, SEED_ROUNDTRIP_QUERIES } from "../testing/postgres-erp-queries";
import { ENTITY_NAMES } from "./registry";

/**
 * Every entity, through the Postgres pull connector: the demo seed's own records, read back as an
 * ERP would send them (one version higher), are all accepted as updates and change no business
 * value. That holds only if each schema, each reference and each computed total agrees with what
 * the portal stores.
 */

async function fingerprint(): Promise<Record<string, { n: number; h: string }>> {
  const db = await getDb();
  const out: Record<string, { n: number; h: string }> = {};
  for (const table of ROUNDTRIP_TABLES) {
    const { rows } = await db.query<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x, ',' ORDER BY x), '')) AS h
         FROM (SELECT (to_jsonb(t) - 'id' - 'created_at' - 'updated_at' - 'erp_version')::text AS x FROM ${table} t) s`,
    );
    out[table] = rows[0];
  }
  return out;
}

describe("every entity, round trip through the Postgres pull connector", () => {
  it("accepts the seed's records as updates and leaves every value as it was", async () => {
    const db = await getDb();
    const before = await fingerprint();
    const sourceId = await createSource(db, { name: "Seed as ERP", kind: "postgres", connectionUrl: process.env.DATABASE_URL!, schedule: null, enabled: true, batchSize: 250 }, null);
    for (const [entity, query] of Object.entries(SEED_ROUNDTRIP_QUERIES)) await saveQuery(db, sourceId, { entity, query, watermarkColumn: "watermark" });
    const result = await runSqlPull(sourceId);
    expect(result.message).toBeNull();
    expect(result.entities.map((e) => e.entity)).toEqual(ENTITY_NAMES.filter((n) => n !== "payments"));
    for (const e of result.entities) {
      if (e.counts.rejected > 0) {
        const sample = await db.query(`SELECT erp_id, errors FROM rejected_records WHERE import_run_id = $1 LIMIT 3`, [e.runId]);
        throw new Error(`${e.entity}: ${e.counts.rejected} rejected, e.g. ${JSON.stringify(sample.rows)}`);
      }
      expect({ entity: e.entity, inserted: e.counts.inserted, unchanged: e.counts.unchanged }).toEqual({ entity: e.entity, inserted: 0, unchanged: 0 });
      expect(e.counts.updated).toBeGreaterThan(0);
    }
    expect(await fingerprint()).toEqual(before);
  }, 300_000);
});

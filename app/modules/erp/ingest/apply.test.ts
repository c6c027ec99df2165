import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { createPgliteDb, type Queryable } from "~/db/db.server";
import { arrayLiteral } from "./apply.server";

/**
 * Ingest rows go to the database as one array literal per column (022). Whatever text the ERP
 * sends must come back out of `unnest()` exactly, and null must stay null — on Postgres and PGlite.
 */

const TRICKY = [
  "plain",
  "",
  "NULL",
  "null",
  'say "hi"',
  "back\\slash",
  "\\\"",
  "a,b",
  "{braces}",
  "  leading and trailing  ",
  "new\nline\ttab",
  "Größe ½ – 😀",
  "'single'",
  null,
  "end\\",
];

async function roundTrip(db: Queryable, values: unknown[], type: string): Promise<unknown[]> {
  const { rows } = await db.query<{ v: unknown }>(`SELECT v::text AS v FROM unnest($1::${type}[]) WITH ORDINALITY AS u(v, n) ORDER BY n`, [arrayLiteral(values)]);
  return rows.map((r) => r.v);
}

describe("arrayLiteral", () => {
  it("carries any text and null through unnest unchanged on Postgres", async () => {
    expect(await roundTrip(await getDb(), TRICKY, "text")).toEqual(TRICKY);
  });

  it("carries the same values through unnest on PGlite", async () => {
    const lite = await createPgliteDb(undefined);
    try {
      expect(await roundTrip(lite, TRICKY, "text")).toEqual(TRICKY);
    } finally {
      await lite.close();
    }
  }, 120_000); // PGlite's start-up (WASM) alone takes 20 s and more on a loaded machine

  it("writes numbers, booleans and dates as the columns read them", async () => {
    const db = await getDb();
    expect(await roundTrip(db, ["12.50", 3, -0.5, null], "numeric")).toEqual(["12.50", "3", "-0.5", null]);
    expect(await roundTrip(db, [true, false, null], "boolean")).toEqual(["true", "false", null]);
    expect(await roundTrip(db, ["2026-03-02", new Date("2026-03-02T00:00:00Z")], "date")).toEqual(["2026-03-02", "2026-03-02"]);
    expect(arrayLiteral([])).toBe("{}");
  });
});

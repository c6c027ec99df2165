import type { Queryable } from "../../app/db/db.server";

/**
 * The query list of the search benchmark, drawn from the account's own data so every query has
 * hits: what a buyer types into the palette. Deterministic for a given database (rows are picked by
 * a hash of their id, not by random()).
 */

export type QueryKind = "number prefix" | "PO reference" | "SKU" | "tracking number" | "free words";

export interface BenchQuery {
  kind: QueryKind;
  q: string;
}

export async function buildQueryList(db: Queryable, accountNumber: string, perKind: number): Promise<BenchQuery[]> {
  const { rows: accounts } = await db.query<{ id: string }>(`SELECT id FROM accounts WHERE number = $1`, [accountNumber]);
  const accountId = accounts[0]?.id;
  if (!accountId) throw new Error(`no account ${accountNumber}`);
  const pick = (table: string, column: string, extra = "") =>
    db
      .query<{ v: string }>(
        `SELECT ${column} AS v FROM ${table} WHERE account_id = $1 AND ${column} IS NOT NULL ${extra}
          ORDER BY md5(id::text || 'bench') LIMIT $2`,
        [accountId, perKind],
      )
      .then((r) => r.rows.map((row) => row.v));

  // Number prefixes: a document number without its last 1–3 characters, over the five document types.
  const numbers: string[] = [];
  for (const table of ["sales_orders", "invoices", "shipments", "delivery_notes", "order_confirmations"]) {
    numbers.push(...(await pick(table, "number")).slice(0, Math.ceil(perKind / 5)));
  }
  const prefixes = numbers.slice(0, perKind).map((n, i) => n.slice(0, n.length - (1 + (i % 3))));

  const refs = await pick("sales_orders", "customer_reference");
  const tracking = await pick("shipments", "tracking_number");

  const { rows: skuRows } = await db.query<{ v: string }>(
    `SELECT DISTINCT sku AS v FROM sales_order_lines WHERE account_id = $1 AND sku IS NOT NULL ORDER BY 1`,
    [accountId],
  );
  const skus = Array.from({ length: perKind }, (_, i) => skuRows[(i * 7) % skuRows.length].v);

  // Free words: words of the account's line descriptions ("Kugelhahn", "Edelstahl"), every third a pair.
  const { rows: descRows } = await db.query<{ v: string }>(
    `SELECT DISTINCT description AS v FROM sales_order_lines WHERE account_id = $1 AND description IS NOT NULL ORDER BY 1`,
    [accountId],
  );
  const wordsOf = (text: string) => text.split(/[\s,/()"]+/).filter((w) => /^\p{L}{5,}$/u.test(w));
  const words = [...new Set(descRows.flatMap((r) => wordsOf(r.v)))].sort();
  const pairs = descRows.map((r) => wordsOf(r.v)).filter((w) => w.length >= 2);
  const free = Array.from({ length: perKind }, (_, i) => {
    // A pair of words from one description, so the AND of both still has hits.
    const pair = pairs.length > 0 ? pairs[(i * 13) % pairs.length] : null;
    return i % 3 === 2 && pair ? `${pair[0]} ${pair[1]}` : words[(i * 11) % words.length];
  });

  return [
    ...prefixes.map((q) => ({ kind: "number prefix" as const, q })),
    ...refs.map((q) => ({ kind: "PO reference" as const, q })),
    ...skus.map((q) => ({ kind: "SKU" as const, q })),
    ...tracking.map((q) => ({ kind: "tracking number" as const, q })),
    ...free.map((q) => ({ kind: "free words" as const, q })),
  ];
}

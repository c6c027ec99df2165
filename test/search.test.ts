import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { SearchResult } from "../electric/replica/search";
import { request, signIn } from "./support/portal";

async function search(cookie: string, params: Record<string, string>): Promise<SearchResult[]> {
  const response = await request(`/search?${new URLSearchParams(params)}`, { cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { results: SearchResult[] }).results;
}

describe("server search (the palette's fallback and the replica's baseline)", () => {
  it("finds an invoice by number prefix, PO and SKU, only in the contact's scope", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; number: string; po: string | null; sku: string }>(
      `SELECT i.id, i.number, i.customer_reference AS po, l.sku FROM invoices i JOIN accounts a ON a.id = i.account_id
         JOIN invoice_lines l ON l.invoice_id = i.id
        WHERE a.number = '10001' AND i.kind = 'invoice' AND i.customer_reference IS NOT NULL ORDER BY i.issue_date DESC LIMIT 1`,
    );
    const invoice = rows[0];
    const buyer = await signIn("buyer@kessler.example");
    const byPrefix = await search(buyer, { q: invoice.number.slice(0, -1) });
    expect(byPrefix.map((r) => r.id)).toContain(invoice.id);
    expect(byPrefix[0].number?.startsWith(invoice.number.slice(0, -1))).toBe(true);
    expect((await search(buyer, { q: invoice.po!, type: "invoice" })).map((r) => r.id)).toContain(invoice.id);
    const bySku = await search(buyer, { q: invoice.sku, type: "invoice", limit: "100" });
    expect(bySku.length).toBeGreaterThan(0);

    const foreign = await signIn("buyer@nordhavn.example");
    expect((await search(foreign, { q: invoice.number })).map((r) => r.id)).not.toContain(invoice.id);
    const viewer = await signIn("viewer@kessler.example");
    expect((await search(viewer, { q: invoice.number })).filter((r) => r.type === "invoice" || r.type === "credit_note")).toEqual([]);
  });

  it("applies type, date, status and location filters", async () => {
    const buyer = await signIn("buyer@kessler.example");
    const paid = await search(buyer, { q: "", type: "invoice", status: "paid", limit: "50" });
    expect(paid.length).toBeGreaterThan(0);
    expect(paid.every((r) => r.type === "invoice" && r.status === "paid")).toBe(true);
    const from = paid[paid.length - 1].date!;
    const recent = await search(buyer, { q: "", type: "invoice", from, limit: "100" });
    expect(recent.every((r) => r.date! >= from)).toBe(true);
    const location = paid.find((r) => r.locationId)?.locationId;
    if (location) {
      const here = await search(buyer, { q: "", location, limit: "100" });
      expect(here.every((r) => r.locationId === location)).toBe(true);
    }
    expect(await search(buyer, { q: "%%%_\\" })).toEqual([]);
  });
});

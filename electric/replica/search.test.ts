import { beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "./driver";
import { getSearchState, rebuildSearchIndex, searchDocuments, toFtsQuery, type SearchProgress } from "./search";
import { generateDataset, loadDataset, loadSnapshot, newReplica, type Dataset } from "./test-data";

describe("document search", () => {
  let driver: SqlDriver;
  let data: Dataset;
  const progress: SearchProgress[] = [];

  beforeAll(async () => {
    driver = await newReplica();
    data = generateDataset(400);
    loadDataset(driver, data);
    // A ticket that quotes an invoice number in its subject: a weak (f_other) hit for that number.
    loadSnapshot(driver, "support_tickets", [
      ...data.support_tickets,
      { id: "st-quote", account_id: "acc-0001", location_id: "loc-1", number: "T-5000", subject: "Frage zu INV-2024-00008", category: "invoice", priority: "normal", status: "open", created_at: "2024-06-01 09:00:00+00" },
    ]);
    expect(getSearchState(driver)).toBe("pending");
    rebuildSearchIndex(driver, (p) => progress.push(p));
  });

  it("reports progress per document type and marks the index ready", () => {
    expect(getSearchState(driver)).toBe("ready");
    expect(progress.at(-1)).toMatchObject({ phase: "done" });
    expect(progress.filter((p) => p.phase === "documents")).toHaveLength(9);
    expect(progress.at(-1)?.documents).toBeGreaterThanOrEqual(400);
  });

  it("finds documents by number prefix, exact numbers first", () => {
    const hits = searchDocuments(driver, "INV-2024-0001", { types: ["invoice"], limit: 50 });
    expect(hits.map((h) => h.number).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `INV-2024-0001${i}`));
    const exact = searchDocuments(driver, "inv-2024-00012");
    expect(exact[0]).toMatchObject({ type: "invoice", id: "inv-12", number: "INV-2024-00012", amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: "EUR", orderNumber: "SO-2024-00012" });
    expect(searchDocuments(driver, "INV202400012")[0]?.id).toBe("inv-12");
  });

  it("finds every document of an order by the customer's PO number", () => {
    const po = data.orders.find((o) => o.id === "so-20")?.customer_reference ?? "";
    const types = searchDocuments(driver, po).map((h) => `${h.type}:${h.id}`).sort();
    expect(types).toEqual(
      ["credit_note:cn-20", "delivery_note:dn-20", "file:df-20", "invoice:inv-20", "order:so-20", "order_confirmation:oc-20", "quote:qt-20", "return_request:rr-20", "shipment:sh-20"].sort(),
    );
  });

  it("finds documents by SKU and by line description, diacritics folded", () => {
    const bySku = searchDocuments(driver, "PMP-IL-65", { types: ["invoice"], limit: 200 });
    const expected = new Set(data.invoice_lines.filter((l) => l.sku === "PMP-IL-65-8").map((l) => l.invoice_id));
    expect(new Set(bySku.map((h) => h.id))).toEqual(expected);
    const byWord = searchDocuments(driver, "umwalzpumpe", { types: ["invoice"], limit: 200 });
    expect(new Set(byWord.map((h) => h.id))).toEqual(expected);
  });

  it("finds the shipment and its delivery note by tracking number or its prefix", () => {
    const tracking = data.shipments.find((s) => s.id === "sh-9")?.tracking_number ?? "";
    expect(searchDocuments(driver, tracking).map((h) => h.id).sort()).toEqual(["dn-9", "sh-9"]);
    expect(searchDocuments(driver, tracking.slice(0, 15)).map((h) => h.id)).toContain("sh-9");
  });

  it("ranks a hit in a document number above a mention in free text", () => {
    const hits = searchDocuments(driver, "2024-00008", { limit: 50 });
    const ticket = hits.findIndex((h) => h.id === "st-quote");
    const invoice = hits.findIndex((h) => h.id === "inv-8");
    expect(invoice).toBeGreaterThanOrEqual(0);
    expect(ticket).toBeGreaterThan(invoice);
    expect(hits.every((h, i) => i === 0 || (h.score ?? 0) >= (hits[i - 1].score ?? 0))).toBe(true);
  });

  it("finds by German and ISO dates, and by amount", () => {
    const inv = data.invoices.find((i) => i.id === "inv-33");
    const [y, m, d] = String(inv?.issue_date).split("-");
    expect(searchDocuments(driver, `${d}.${m}.${y}`, { types: ["invoice"], limit: 50 }).map((h) => h.id)).toContain("inv-33");
    expect(searchDocuments(driver, String(inv?.issue_date), { types: ["invoice"], limit: 50 }).map((h) => h.id)).toContain("inv-33");
    expect(searchDocuments(driver, String(inv?.gross_amount), { types: ["invoice"] }).map((h) => h.id)).toContain("inv-33");
  });

  it("filters by type, date range, status, location and cost center", () => {
    const credit = searchDocuments(driver, "2024", { types: ["credit_note"], limit: 200 });
    expect(credit.length).toBe(data.invoices.filter((i) => i.kind === "credit_note").length);
    expect(credit.every((h) => h.type === "credit_note")).toBe(true);

    const inRange = searchDocuments(driver, "", { types: ["order"], dateFrom: "2024-02-01", dateTo: "2024-02-29", limit: 200 });
    expect(inRange.length).toBe(data.orders.filter((o) => String(o.order_date) >= "2024-02-01" && String(o.order_date) <= "2024-02-29").length);
    expect(inRange.every((h) => h.date! >= "2024-02-01" && h.date! <= "2024-02-29")).toBe(true);
    // No search terms: newest first.
    expect([...inRange].sort((a, b) => b.date!.localeCompare(a.date!)).map((h) => h.date)).toEqual(inRange.map((h) => h.date));

    const delivered = searchDocuments(driver, "DHL", { status: ["delivered"], locationId: "loc-2", limit: 200 });
    expect(delivered.length).toBe(data.shipments.filter((s) => s.status === "delivered" && s.location_id === "loc-2").length);

    const cc = searchDocuments(driver, "", { types: ["order"], costCenterId: "cc-2", limit: 200 });
    expect(cc.length).toBe(data.orders.filter((o) => o.cost_center_id === "cc-2").length);
    expect(searchDocuments(driver, "2024", { limit: 5 })).toHaveLength(5);
  });

  it("turns any input into a valid FTS5 query", () => {
    expect(toFtsQuery(`  INV-2024 "quoted" (x) a:b * - `)).toBe(`"INV-2024"* AND """quoted"""* AND "(x)"* AND "a:b"*`);
    expect(toFtsQuery(" - * ")).toBeNull();
    for (const input of [`"`, `AND OR NOT`, `NEAR(a b)`, `^start`, `{col}:x`, `ü`, `'; DROP TABLE invoices; --`]) {
      expect(() => searchDocuments(driver, input)).not.toThrow();
    }
  });
});

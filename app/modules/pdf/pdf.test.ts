import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, PDFStream, decodePDFRawStream } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { pdfFonts, pdfPageCount, pdfText, pdfWords, type PdfWord } from "~/modules/documents/test-support";
import { invoicePdfFile, invoiceEInvoiceFile, pdfDataFor } from "~/modules/documents/invoice-files.server";
import { findOrderDocument, loadCommercialData, loadDeliveryNoteData, orderDocumentPdfFile } from "~/modules/documents/order-documents.server";
import { getStatement, getStatementPdf } from "~/modules/documents/statement.server";
import { docLabel, type DocumentLabel } from "~/modules/documents/labels";
import { buildEInvoiceXml } from "~/modules/einvoice/formats";
import { invoiceCases } from "~/modules/einvoice/cases";
import { loadInvoiceDocumentForStaff, loadSeller } from "~/modules/einvoice/load.server";
import { buildScope } from "~/modules/access/scope.server";
import { formatMoney as money } from "~/i18n/i18n";
import { getRenderPool, renderInPool } from "./render-pool.server";
import { renderCommercialPdf, renderDeliveryNotePdf, renderHybridInvoicePdf, renderInvoicePdf, renderStatementPdf } from "./render.server";
import { A4, MARGIN } from "./templates/layout";

async function invoiceId(where: string): Promise<string> {
  const db = await getDb();
  const { rows } = await db.query<{ id: string }>(`SELECT i.id FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE ${where} ORDER BY i.issue_date DESC LIMIT 1`);
  if (!rows[0]) throw new Error(`no invoice where ${where}`);
  return rows[0].id;
}

// The render workers load from TypeScript sources here (tsx): start them before the first timed test.
beforeAll(() => getRenderPool().warmUp());

function expectAllFontsEmbedded(bytes: Uint8Array) {
  const fonts = pdfFonts(bytes);
  expect(fonts.length).toBeGreaterThan(0);
  expect(fonts.filter((f) => !f.embedded)).toEqual([]);
  expect(fonts.every((f) => /DejaVuSans/.test(f.name))).toBe(true);
}

// The unit codes the seed uses (db/seed/reference.ts): documents print their labels instead.
const SEEDED_UNIT_CODES = /\b(C62|MTR|KGM|LTR|SET|HUR|DAY)\b/;
const squash = (text: string) => text.replace(/[\s\u00a0]+/g, " ");
const formatMoney = (lang: "en" | "de", amount: string, currency: string) => money(lang, amount, currency).replace(/\u00a0/g, " ");

async function scopeOf(email: string) {
  const db = await getDb();
  const { rows } = await db.query<{ id: string; language: "en" | "de"; accountId: string }>(
    `SELECT u.id, u.language, m.account_id AS "accountId" FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id WHERE u.email = $1 AND a.number = '10001'`,
    [email],
  );
  return (await buildScope(db, rows[0], rows[0].accountId))!;
}

describe("invoice PDF", () => {
  it("renders an open EUR invoice in the account's language with its numbers, totals, bank details and a GiroCode", async () => {
    const db = await getDb();
    const doc = (await loadInvoiceDocumentForStaff(db, await invoiceId(`a.number = '10001' AND i.kind = 'invoice' AND i.status = 'open' AND i.currency = 'EUR'`)))!;
    const file = await invoicePdfFile(db, doc);
    expect(file.bytes.subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
    const text = squash(pdfText(file.bytes));
    expect(text).toContain(`Rechnung ${doc.model.number}`);
    expect(text).toContain(formatMoney("de", doc.model.totals.taxInclusive, "EUR"));
    expect(text).toContain(formatMoney("de", doc.model.totals.taxExclusive, "EUR"));
    for (const line of doc.model.lines) expect(text).toContain(formatMoney("de", line.netAmount, "EUR"));
    for (const b of doc.model.vatBreakdown) expect(text).toContain(formatMoney("de", b.taxAmount, "EUR"));
    expect(text).toContain("IBAN DE45 6005 0101 0665 9490 60");
    expect(text).toContain("Scannen und zahlen");
    expect(text).toContain("Seite 1 von 1");
    expectAllFontsEmbedded(file.bytes);
  });

  it("renders a credit note with the invoice it corrects and no payment code", async () => {
    const db = await getDb();
    const doc = (await loadInvoiceDocumentForStaff(db, await invoiceId(`a.number = '10001' AND i.kind = 'credit_note'`)))!;
    const text = squash(pdfText((await invoicePdfFile(db, doc)).bytes));
    expect(text).toContain(`Gutschrift ${doc.model.number}`);
    expect(text).toContain(`Korrektur zu Rechnung ${doc.model.precedingInvoice!.number}`);
    expect(text).toContain(formatMoney("de", doc.model.totals.taxInclusive, "EUR"));
    expect(text).not.toContain("Scannen und zahlen");
  });

  it("renders English documents for English accounts, foreign currency with the VAT total in EUR", async () => {
    const db = await getDb();
    const doc = (await loadInvoiceDocumentForStaff(db, await invoiceId(`a.country_code = 'GB' AND i.kind = 'invoice'`)))!;
    const text = squash(pdfText((await invoicePdfFile(db, doc)).bytes));
    expect(text).toContain(`Invoice ${doc.model.number}`);
    expect(text).toContain(formatMoney("en", doc.model.totals.taxInclusive, "GBP"));
    expect(text).toContain("VAT total in EUR");
    expect(text).toContain("Export outside the EU");
  });

  it("spreads long line tables over pages, each with the table header, and numbers the pages", async () => {
    const db = await getDb();
    const base = invoiceCases().find((c) => c.id === "mixed-rates")!.invoice;
    const invoice = structuredClone(base);
    invoice.lines = Array.from({ length: 130 }, (_, i) => ({ ...base.lines[i % 3], id: String(i + 1) }));
    const seller = await loadSeller(db);
    const bytes = await renderInvoicePdf({ invoice, seller, lang: "en", accountNumber: "10001", status: "paid", amountDueNow: "0.00", paidAmount: "0.00" }, new Date("2026-10-15T00:00:00Z"));
    const pages = pdfPageCount(bytes);
    expect(pages).toBeGreaterThanOrEqual(3);
    const text = pdfText(bytes);
    const perPage = text.split("\f").filter((p) => p.trim());
    expect(perPage).toHaveLength(pages);
    for (const [i, page] of perPage.entries()) {
      // Every page that carries line rows starts its table with the header.
      if (/^\s*\d+\s+(KH|DOC|SRV)-/m.test(page)) expect(page).toMatch(/Pos\.\s+Item\s+Description\s+Qty\s+Unit price/);
      expect(page).toContain(`Page ${i + 1} of ${pages}`);
    }
    expect(perPage.filter((p) => /Pos\.\s+Item/.test(p)).length).toBeGreaterThanOrEqual(3);
    expect(squash(text)).toContain("130 ");
    expectAllFontsEmbedded(bytes);
  });

  it("gives the totals a page of their own when the template's page has no room for them, numbered by react-pdf", async () => {
    const db = await getDb();
    const base = invoiceCases().find((c) => c.id === "mixed-rates")!.invoice;
    const invoice = structuredClone(base);
    // 25 one-line rows fill paginateRows' first page; with a long note the totals block no longer fits on it.
    invoice.lines = Array.from({ length: 25 }, (_, i) => ({ ...base.lines[i % 3], id: String(i + 1) }));
    invoice.note = Array.from({ length: 12 }, (_, i) => `Delivery remark ${i + 1}.`).join("\n");
    const seller = await loadSeller(db);
    const bytes = await renderInvoicePdf({ invoice, seller, lang: "en", accountNumber: "10001", status: "paid", amountDueNow: "0.00", paidAmount: "0.00" }, new Date("2026-10-15T00:00:00Z"));
    expect(pdfPageCount(bytes)).toBe(2);
    const pages = pdfText(bytes).split("\f");
    expect(pages[0]).toContain("Page 1 of 2");
    expect(squash(pages[1])).toContain(`Total ${formatMoney("en", invoice.totals.taxInclusive, invoice.currency)}`);
    expect(pages[1]).toContain("Page 2 of 2");
  });

  it("prints unit labels in the contact's language in the quantity column, not UN/ECE codes", async () => {
    const db = await getDb();
    const invoice = structuredClone(invoiceCases().find((c) => c.id === "mixed-rates")!.invoice);
    // A longer label and a code without one: the column must hold both on one line.
    invoice.lines.push({ ...invoice.lines[0], id: "4", sellerItemId: "PAL-1", unit: "XPX", quantity: "1250" }, { ...invoice.lines[0], id: "5", sellerItemId: "ODD-1", unit: "ZZZ", quantity: "7" });
    const seller = await loadSeller(db);
    const expected = {
      en: [["KH-DN50-ES", "12 pcs"], ["DOC-HB-01", "3 pcs"], ["SRV-IBN", "4.5 h"], ["PAL-1", "1,250 pallets"], ["ODD-1", "7 ZZZ"]],
      de: [["KH-DN50-ES", "12 Stk."], ["DOC-HB-01", "3 Stk."], ["SRV-IBN", "4,5 Std."], ["PAL-1", "1.250 Paletten"], ["ODD-1", "7 ZZZ"]],
    } as const;
    for (const lang of ["en", "de"] as const) {
      const text = pdfText(await renderInvoicePdf({ invoice, seller, lang, accountNumber: "10001", status: "paid", amountDueNow: "0.00", paidAmount: "0.00" }, new Date("2026-10-15T00:00:00Z")));
      for (const [sku, quantity] of expected[lang]) {
        const row = text.split("\n").find((line) => line.includes(sku));
        // The quantity sits between the description and the unit price, on the line's own row.
        expect(squash(row ?? "")).toMatch(new RegExp(`\\s${quantity.replace(/\./g, "\\.")} `));
      }
      expect(text).not.toMatch(/\b(C62|HUR|XPX)\b/);
    }
  });

  it("renders the same bytes in the render pool's workers as in this thread", async () => {
    const db = await getDb();
    const doc = (await loadInvoiceDocumentForStaff(db, await invoiceId(`a.number = '10001' AND i.kind = 'invoice'`)))!;
    const data = await pdfDataFor(db, doc);
    const [inPool, here] = await Promise.all([renderInPool({ kind: "invoice", data, createdAt: doc.updatedAt }), renderInvoicePdf(data, doc.updatedAt)]);
    expect(Buffer.from(inPool).equals(Buffer.from(here))).toBe(true);
  });

  it("serves the second request from the cache: same bytes, no rendering", async () => {
    const db = await getDb();
    const doc = (await loadInvoiceDocumentForStaff(db, await invoiceId(`a.number = '10004'`)))!;
    const first = await invoicePdfFile(db, doc);
    const second = await invoicePdfFile(db, doc);
    expect(second.source).toBe("cache");
    expect(second.sha256).toBe(first.sha256);
    const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM rendered_documents WHERE document_id = $1 AND format = 'pdf'`, [doc.model.id]);
    expect(rows[0].count).toBe(1);
  });
});

describe("order documents and statements", () => {
  it("renders a delivery note with shipped and backordered quantities", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; number: string; delivered: string; backordered: string }>(
      `SELECT d.id, d.number, l.quantity_delivered AS delivered, l.quantity_backordered AS backordered
         FROM delivery_notes d JOIN delivery_note_lines l ON l.delivery_note_id = d.id JOIN accounts a ON a.id = d.account_id
        WHERE a.number = '10001' AND l.quantity_backordered > 0 LIMIT 1`,
    );
    expect(rows[0]).toBeDefined();
    const scope = await scopeOf("buyer@kessler.example");
    const header = (await findOrderDocument(db, scope, "delivery_note", rows[0].id))!;
    const file = await orderDocumentPdfFile(db, "delivery_note", header);
    const text = squash(pdfText(file.bytes));
    expect(text).toContain(`Lieferschein ${rows[0].number}`);
    expect(text).toContain("Rückstand");
    expect(text).toContain("Rückständige Mengen liefern wir nach.");
    expect(text).not.toMatch(SEEDED_UNIT_CODES);
    expectAllFontsEmbedded(file.bytes);
  });

  for (const [type, table, title] of [["order_confirmation", "order_confirmations", "Auftragsbestätigung"], ["quote", "quotes", "Angebot"]] as const) {
    it(`renders a ${type.replace("_", " ")} with its totals`, async () => {
      const db = await getDb();
      const { rows } = await db.query<{ id: string; number: string; gross_amount: string; currency: string }>(
        `SELECT d.id, d.number, d.gross_amount, d.currency FROM ${table} d JOIN accounts a ON a.id = d.account_id WHERE a.number = '10001' LIMIT 1`,
      );
      const scope = await scopeOf("buyer@kessler.example");
      const header = (await findOrderDocument(db, scope, type, rows[0].id))!;
      const file = await orderDocumentPdfFile(db, type, header);
      const text = squash(pdfText(file.bytes));
      expect(text).toContain(`${title} ${rows[0].number}`);
      expect(text).toContain(formatMoney("de", rows[0].gross_amount, rows[0].currency));
      expect(text).not.toMatch(SEEDED_UNIT_CODES);
      expectAllFontsEmbedded(file.bytes);
    });
  }

  it("keeps another account's documents out of reach", async () => {
    const db = await getDb();
    const foreign = (await db.query<{ id: string }>(`SELECT d.id FROM delivery_notes d JOIN accounts a ON a.id = d.account_id WHERE a.number = '10004' LIMIT 1`)).rows[0];
    expect(await findOrderDocument(db, await scopeOf("buyer@kessler.example"), "delivery_note", foreign.id)).toBeNull();
  });

  it("renders a statement of account whose balances match the ERP's monthly statements", async () => {
    const db = await getDb();
    const scope = await scopeOf("finance@kessler.example");
    const { rows } = await db.query<{ period_start: string; period_end: string; opening_balance: string; closing_balance: string }>(
      `SELECT period_start, period_end, opening_balance, closing_balance FROM statements WHERE account_id = $1 ORDER BY period_end`,
      [scope.accountId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const erp of rows) {
      const result = (await getStatementPdf(scope, { from: erp.period_start, to: erp.period_end }))!;
      expect(result.statement.openingBalance).toBe(erp.opening_balance);
      expect(result.statement.closingBalance).toBe(erp.closing_balance);
      expect(result.statement.aging.total).toBe(result.statement.closingBalance);
      const text = squash(pdfText(result.bytes));
      expect(text).toContain("Kontoauszug");
      expect(text).toContain(formatMoney("de", erp.closing_balance, "EUR"));
      expectAllFontsEmbedded(result.bytes);
    }
  });
});

describe("table and totals layout", () => {
  // Words on one line closer than this ran into each other (a space in the 8.5 pt font is ~2.7 pt).
  const MIN_GAP = 2;
  const RIGHT_EDGE = A4.width - MARGIN.side;
  const sameLine = (a: PdfWord, b: PdfWord) => a.yMin < b.yMax && b.yMin < a.yMax;
  const apart = (a: PdfWord, b: PdfWord) => a.xMax + MIN_GAP <= b.xMin || b.xMax + MIN_GAP <= a.xMin;

  /** The table header's words on page 1: the line holding the most label words, and a wrapped second line below it. */
  function headerWords(words: PdfWord[], labels: string[]): PdfWord[] {
    const labelWords = new Set(labels.flatMap((l) => l.split(" ")));
    const firstPage = words.filter((w) => w.page === 0);
    const candidates = firstPage.filter((w) => labelWords.has(w.text));
    const countAt = (y: number) => candidates.filter((w) => Math.abs(w.yMin - y) < 1).length;
    const top = candidates.reduce((best, w) => (countAt(w.yMin) > countAt(best.yMin) ? w : best)).yMin;
    return firstPage.filter((w) => w.yMin > top - 1 && w.yMin < top + 11);
  }

  function expectHeaderApart(bytes: Uint8Array, keys: (DocumentLabel | "vat %")[], lang: "en" | "de") {
    const labels = keys.map((k) => (k === "vat %" ? `${docLabel(lang, "vat")} %` : docLabel(lang, k)));
    const header = headerWords(pdfWords(bytes), labels);
    // Each word of each label is a word of its own: headers drawn into each other come out as one ("priceDiscountVAT").
    expect(header.map((w) => w.text).sort()).toEqual(labels.flatMap((l) => l.split(" ")).sort());
    for (const a of header) {
      expect(a.xMin).toBeGreaterThanOrEqual(MARGIN.side);
      expect(a.xMax).toBeLessThanOrEqual(RIGHT_EDGE);
      for (const b of header) if (a !== b && sameLine(a, b)) expect(apart(a, b), `"${a.text}" and "${b.text}" touch`).toBe(true);
    }
  }

  for (const lang of ["en", "de"] as const) {
    it(`keeps the line table headers of every template apart and inside the table (${lang})`, async () => {
      const db = await getDb();
      const createdAt = new Date("2026-10-15T00:00:00Z");
      const commercial = ["pos", "sku", "description", "quantity", "unitPrice", "discount", "vat %", "net"] as const;
      for (const [type, table] of [["quote", "quotes"], ["order_confirmation", "order_confirmations"]] as const) {
        const { id } = (await db.query<{ id: string }>(`SELECT d.id FROM ${table} d JOIN accounts a ON a.id = d.account_id WHERE a.number = '10001' LIMIT 1`)).rows[0];
        expectHeaderApart(await renderCommercialPdf({ ...(await loadCommercialData(db, type, id)), lang }, createdAt), [...commercial], lang);
      }
      const invoice = invoiceCases().find((c) => c.id === "mixed-rates")!.invoice;
      const invoiceBytes = await renderInvoicePdf({ invoice, seller: await loadSeller(db), lang, accountNumber: "10001", status: "paid", amountDueNow: "0.00", paidAmount: "0.00" }, createdAt);
      expectHeaderApart(invoiceBytes, ["pos", "sku", "description", "quantity", "unitPrice", "vat %", "net"], lang);
      const { id } = (await db.query<{ id: string }>(`SELECT d.id FROM delivery_notes d JOIN accounts a ON a.id = d.account_id WHERE a.number = '10001' LIMIT 1`)).rows[0];
      expectHeaderApart(await renderDeliveryNotePdf({ ...(await loadDeliveryNoteData(db, id)), lang }, createdAt), ["pos", "sku", "description", "ordered", "delivered", "backordered"], lang);
      const statement = (await getStatement(await scopeOf("finance@kessler.example"), { from: "2026-01-01", to: "2026-06-30" }))!;
      expectHeaderApart(await renderStatementPdf({ ...statement, lang, seller: await loadSeller(db) }, createdAt), ["date", "number", "description", "debit", "credit", "balance"], lang);
    });
  }

  it("wraps a long VAT label of a credit note's totals within its column, clear of the right-aligned amount", async () => {
    const db = await getDb();
    const invoice = structuredClone(invoiceCases().find((c) => c.id === "reverse-charge")!.invoice);
    invoice.kind = "credit_note";
    const bytes = await renderInvoicePdf({ invoice, seller: await loadSeller(db), lang: "de", accountNumber: "10001", status: "paid", amountDueNow: "0.00", paidAmount: "0.00" }, new Date("2026-10-15T00:00:00Z"));
    const words = pdfWords(bytes).filter((w) => w.page === 0);
    // "USt. 0 % (Steuerschuldnerschaft des Leistungsempfängers) auf 1.520,00 €" and its amount "0,00 €".
    const start = words.find((w) => w.text === "(Steuerschuldnerschaft")!;
    expect(start).toBeDefined();
    const amountTexts = formatMoney("de", invoice.vatBreakdown[0].taxAmount, invoice.currency).split(" ");
    const amount = words.filter((w) => amountTexts.includes(w.text) && Math.abs(w.yMin - start.yMin) < 1 && w.xMin > start.xMin);
    expect(amount.map((w) => w.text)).toEqual(amountTexts);
    expect(amount[amount.length - 1].xMax).toBeGreaterThan(RIGHT_EDGE - 1.5);
    const label = words.filter((w) => !amount.includes(w) && w.yMin > start.yMin - 1 && w.yMin < start.yMin + 25 && w.xMin >= start.xMin - 60);
    expect(label.map((w) => w.text)).toEqual(expect.arrayContaining(["(Steuerschuldnerschaft", "Leistungsempfängers)", "auf"]));
    for (const w of label) for (const a of amount) if (sameLine(w, a)) expect(apart(w, a), `"${w.text}" touches "${a.text}"`).toBe(true);
  });
});

describe("ZUGFeRD / Factur-X hybrid PDF (PDF/A-3b)", () => {
  for (const format of ["zugferd-en16931", "zugferd-xrechnung"] as const) {
    it(`${format}: XMP markers, OutputIntent, /AF with /AFRelationship, and the embedded XML equals the XML download`, async () => {
      const db = await getDb();
      const doc = (await loadInvoiceDocumentForStaff(db, await invoiceId(`a.buyer_reference IS NOT NULL AND i.kind = 'invoice'`)))!;
      const { pdf, xml } = await renderHybridInvoicePdf(await pdfDataFor(db, doc), format, doc.updatedAt);
      const expectedName = format === "zugferd-xrechnung" ? "xrechnung.xml" : "factur-x.xml";
      expect(xml).toBe(buildEInvoiceXml(doc.model, format === "zugferd-xrechnung" ? "xrechnung-cii" : "facturx-en16931"));

      const loaded = await PDFDocument.load(pdf, { updateMetadata: false });
      const catalog = loaded.catalog;
      const metadata = catalog.lookup(PDFName.of("Metadata"), PDFStream) as PDFRawStream;
      const xmp = Buffer.from(metadata.getContents()).toString("utf8");
      expect(xmp).toContain("<pdfaid:part>3</pdfaid:part>");
      expect(xmp).toContain("<pdfaid:conformance>B</pdfaid:conformance>");
      expect(xmp).toContain("<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>");
      for (const property of ["DocumentFileName", "DocumentType", "Version", "ConformanceLevel"]) expect(xmp).toContain(`<pdfaProperty:name>${property}</pdfaProperty:name>`);
      expect(xmp).toContain(`<fx:DocumentFileName>${expectedName}</fx:DocumentFileName>`);
      expect(xmp).toContain("<fx:DocumentType>INVOICE</fx:DocumentType>");
      expect(xmp).toContain("<fx:Version>1.0</fx:Version>");
      expect(xmp).toContain(`<fx:ConformanceLevel>${format === "zugferd-xrechnung" ? "XRECHNUNG" : "EN 16931"}</fx:ConformanceLevel>`);

      const intents = catalog.lookup(PDFName.of("OutputIntents"), PDFArray);
      const intent = intents.lookup(0, PDFDict);
      expect(intent.get(PDFName.of("S"))).toEqual(PDFName.of("GTS_PDFA1"));
      const profile = intent.lookup(PDFName.of("DestOutputProfile"), PDFStream) as PDFRawStream;
      expect(Buffer.from(decodePDFRawStream(profile).decode()).subarray(36, 40).toString("latin1")).toBe("acsp");

      const af = catalog.lookup(PDFName.of("AF"), PDFArray);
      expect(af.size()).toBe(1);
      const spec = af.lookup(0, PDFDict);
      expect(spec.get(PDFName.of("AFRelationship"))).toEqual(PDFName.of("Alternative"));
      expect(spec.get(PDFName.of("F"))?.toString()).toBe(`(${expectedName})`);
      const names = catalog.lookup(PDFName.of("Names"), PDFDict).lookup(PDFName.of("EmbeddedFiles"), PDFDict).lookup(PDFName.of("Names"), PDFArray);
      expect(names.lookup(1, PDFDict)).toBe(spec);
      const embedded = spec.lookup(PDFName.of("EF"), PDFDict).lookup(PDFName.of("F"), PDFStream) as PDFRawStream;
      expect(embedded.dict.get(PDFName.of("Subtype"))).toEqual(PDFName.of("text/xml"));
      expect(Buffer.from(decodePDFRawStream(embedded).decode()).toString("utf8")).toBe(xml);

      expect(Buffer.from(pdf).toString("latin1")).toMatch(/\/ID \[/);
      expectAllFontsEmbedded(pdf);
    });
  }

  it("the hybrid download is served from the cache the second time and embeds the same XML", async () => {
    const db = await getDb();
    const doc = (await loadInvoiceDocumentForStaff(db, await invoiceId(`a.number = '10001' AND i.kind = 'invoice'`)))!;
    const first = await invoiceEInvoiceFile(db, doc, "zugferd-en16931");
    const second = await invoiceEInvoiceFile(db, doc, "zugferd-en16931");
    expect(first.source).toBe("rendered");
    expect(second.source).toBe("cache");
    expect(second.sha256).toBe(first.sha256);
  });
});

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { writeInvoiceCsv } from "../testing/csv-fixture";
import { importCsvFile } from "./csv-import.server";
import { rejectedReportStream } from "./csv-report.server";

const dir = mkdtempSync(path.join(os.tmpdir(), "erp-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

const GERMAN_HEADER = "Beleg-ID;Version;Debitor;Lieferadresse;Rechnungsnummer;Rechnungsdatum;Fälligkeit;Währung;Position;Artikelnummer;Bezeichnung;Menge;Einheit;Einzelpreis;USt-Kategorie;USt-Satz";

async function invoiceLines(erpId: string) {
  const db = await getDb();
  const { rows } = await db.query<{ description: string; quantity: string; unit_price: string; net_amount: string; issue_date: string; gross_amount: string }>(
    `SELECT l.description, l.quantity, l.unit_price, l.net_amount, i.issue_date, i.gross_amount
       FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id WHERE i.erp_id = $1 ORDER BY l.line_no`,
    [erpId],
  );
  return rows;
}

async function reportRows(runId: string): Promise<Record<string, string>[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of rejectedReportStream(await getDb(), runId)) chunks.push(Buffer.from(chunk));
  return parse(Buffer.concat(chunks).toString("utf8"), { columns: true, bom: true });
}

describe("CSV feeds", () => {
  it("reads a Windows-1252 file with German headers, numbers and dates", async () => {
    const text = [
      GERMAN_HEADER,
      "W-1;1;0000010001;0000010001-WE01;W-INV-1;31.01.2026;02.03.2026;EUR;1;PMP-1;Kreiselpumpe groß, Edelstahl;1.000;C62;1.234,56;S;19",
      "W-1;1;0000010001;0000010001-WE01;W-INV-1;31.01.2026;02.03.2026;EUR;2;DCH-2;Dichtungssatz für Ø 50 mm;2,5;C62;12,30;S;19",
    ].join("\r\n");
    const bytes = iconv.encode(text, "win1252");
    expect(bytes.includes(0xdf)).toBe(true); // ß in Windows-1252, not UTF-8
    const result = await importCsvFile({ entity: "invoices", file: file("win1252.csv", bytes), mapping: "german" });
    expect(result).toMatchObject({ status: "succeeded", counts: { inserted: 1, rejected: 0 }, detected: { encoding: "windows-1252", delimiter: ";" } });
    const lines = await invoiceLines("W-1");
    expect(lines.map((l) => [l.description, l.quantity, l.unit_price, l.net_amount])).toEqual([
      ["Kreiselpumpe groß, Edelstahl", "1000.000", "1234.5600", "1234560.00"],
      ["Dichtungssatz für Ø 50 mm", "2.500", "12.3000", "30.75"],
    ]);
    expect(lines[0].issue_date).toBe("2026-01-31");
  });

  it("reads a UTF-8 file with a byte order mark, and says which columns it did not import", async () => {
    const text = "\uFEFFerpId,erpVersion,accountErpId,number,issueDate,currency,lines.lineNo,lines.description,lines.quantity,lines.unitPrice,lines.vatCategory,lines.vatRate,Bemerkung intern\n" +
      "B-1,1,0000010001,B-INV-1,2026-02-01,EUR,1,Ventil – DN 50,2,99.90,S,19,nicht übernehmen\n";
    const result = await importCsvFile({ entity: "invoices", file: file("bom.csv", text) });
    expect(result).toMatchObject({ status: "succeeded", counts: { inserted: 1 }, detected: { encoding: "utf-8", bom: true, delimiter: "," } });
    expect(result.ignoredColumns).toEqual(["Bemerkung intern"]);
    expect((await invoiceLines("B-1"))[0]).toMatchObject({ description: "Ventil – DN 50", gross_amount: "237.76" });
  });

  it("rejects bad rows with their line numbers and reasons, applies the rest, and reports them as CSV", async () => {
    const text = [
      GERMAN_HEADER,
      "R-1;1;0000010001;;R-INV-1;15.02.2026;;EUR;1;PMP-1;Pumpe;3;C62;99,99;S;19",
      "R-2;1;0000010001;;R-INV-2;32.01.2026;;EUR;1;PMP-1;Pumpe;1;C62;1.0,0;S;19",
      "R-2;1;0000010001;;R-INV-2;32.01.2026;;EUR;2;PMP-2;Motor;1;C62;10,00;S;19",
      "R-3;1;NO-SUCH;;R-INV-3;15.02.2026;;EUR;1;PMP-1;Pumpe;1;C62;10,00;S;19",
      "R-4;1;0000010001;;R-INV-4;15.02.2026;;EUR;1;PMP-1;Pumpe;1;C62;10,00;X;19",
      "R-5;1;0000010001;;R-INV-5;15.02.2026;;EUR;1;PMP-1;zu wenige Spalten",
      "R-6;1;0000010001;;R-INV-6;15.02.2026;;EUR;1;PMP-1;Pumpe;2;C62;5,00;S;19",
    ].join("\n");
    const result = await importCsvFile({ entity: "invoices", file: file("bad.csv", text), mapping: "german" });
    expect(result).toMatchObject({ status: "partial", counts: { inserted: 2, rejected: 4 } });
    const rows = await reportRows(result.runId);
    expect(rows.map((r) => [r.line, r.erp_id])).toEqual([["3", "R-2"], ["5", "R-3"], ["6", "R-4"], ["7", "R-5"]]);
    expect(rows[0].reasons).toContain('lines.0.unitPrice: "1.0,0" is not a number in the form 1.234,56 (column "Einzelpreis", line 3)');
    expect(rows[0].reasons).toContain("issueDate: must be a date in the form YYYY-MM-DD");
    expect(rows[0].raw.split("\n")).toHaveLength(2); // both rows of the invoice, verbatim
    expect(rows[1].reasons).toBe('accountErpId: no account with ERP id "NO-SUCH" (send it first)');
    expect(rows[2].reasons).toContain("lines.0.vatCategory: must be one of S, Z, E, AE, K, G, O, L, M");
    expect(rows[3].reasons).toContain("record: has 11 values but the header has 16 columns (line 7)");
    expect(rows[3].reasons).toContain("lines.0.quantity: is required");
    expect(await invoiceLines("R-2")).toEqual([]); // whole or not at all
    expect((await invoiceLines("R-6")).length).toBe(1);

    const again = await importCsvFile({ entity: "invoices", file: file("bad.csv", text), mapping: "german" });
    expect(again.counts).toMatchObject({ inserted: 0, unchanged: 2, rejected: 4 });
  });

  it("refuses a file that lacks a required field before applying anything, naming the column to map", async () => {
    const text = "erpId,erpVersion,Kunde,number,issueDate,currency,lines.lineNo,lines.description,lines.quantity,lines.unitPrice,lines.vatCategory\nN-1,1,0000010001,N-INV-1,2026-02-01,EUR,1,x,1,1,S\n";
    const result = await importCsvFile({ entity: "invoices", file: file("missing.csv", text) });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/The file has no column for accountErpId/);
    const fixed = await importCsvFile({ entity: "invoices", file: file("missing.csv", text), mapping: { columns: { Kunde: "accountErpId" } } });
    expect(fixed).toMatchObject({ status: "partial", counts: { rejected: 1 } }); // VAT rate 0 with category S
  });

  it("leaves no half-applied record when the import is killed, and a re-run finishes it", async () => {
    const csv = path.join(dir, "interrupted.csv");
    const { invoices } = await writeInvoiceCsv(csv, 40_000, { prefix: "K" });
    const db = await getDb();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/erp-import.ts", "invoices", csv, "--json", "--batch-size", "200"], {
      cwd: process.cwd(),
      env: { ...process.env },
      detached: true,
      stdio: "ignore",
    });
    // Kill it (worker included) once some batches are committed.
    for (let i = 0; i < 600; i++) {
      const { rows } = await db.query<{ n: number }>(`SELECT coalesce(sum(inserted_count), 0)::int AS n FROM import_runs WHERE file_name = 'interrupted.csv'`);
      if (rows[0].n >= 400) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    const partial = await db.query<{ invoices: number; broken: number }>(
      `SELECT count(*)::int AS invoices,
              count(*) FILTER (WHERE (SELECT count(*) FROM invoice_lines l WHERE l.invoice_id = i.id) <> 5
                                  OR NOT EXISTS (SELECT 1 FROM invoice_tax_breakdown b WHERE b.invoice_id = i.id))::int AS broken
         FROM invoices i WHERE i.erp_id LIKE 'K-%'`,
    );
    expect(partial.rows[0].invoices).toBeGreaterThan(0);
    expect(partial.rows[0].invoices).toBeLessThan(invoices);
    expect(partial.rows[0].broken).toBe(0);
    expect(partial.rows[0].invoices % 200).toBe(0); // only whole batches were committed

    const rerun = await importCsvFile({ entity: "invoices", file: csv });
    expect(rerun.counts).toMatchObject({ inserted: invoices - partial.rows[0].invoices, unchanged: partial.rows[0].invoices, rejected: 0 });
    const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.erp_id LIKE 'K-%'`);
    expect(total.rows[0].n).toBe(40_000);
  }, 600_000);

  it("keeps the raw text of a row the CSV parser cannot read", async () => {
    const text = 'erpId,erpVersion,accountErpId,code,name\nL-1,1,0000010001,L1,"Lager ""Nord"""\nL-2,1,0000010001,L2,"Lager Süd\n';
    const result = await importCsvFile({ entity: "locations", file: file("quote.csv", text) });
    expect(result.counts).toMatchObject({ inserted: 1, rejected: 1 });
    const rows = await reportRows(result.runId);
    expect(rows[0].reasons).toMatch(/record: is not valid CSV: Quote Not Closed/);
    expect(rows[0].raw).toContain('L-2,1,0000010001,L2,"Lager Süd');
    expect(readFileSync(path.join(dir, "quote.csv"), "utf8")).toContain("Lager Süd");
  });
});

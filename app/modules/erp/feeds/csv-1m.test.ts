import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { writeInvoiceCsv } from "../testing/csv-fixture";

/**
 * A 1M-row CSV feed (200,000 invoices of 5 lines) through `npm run erp:import`, in its own process,
 * within a memory bound: the import holds a batch or two, whatever the size of the file. The bound
 * (250 MB peak RSS) leaves a generous margin over what the import needs (~170 MB, most of it Node,
 * tsx and the modules).
 */

const ROWS = 1_000_000;
const PEAK_RSS_LIMIT_MB = 250;
const dir = mkdtempSync(path.join(os.tmpdir(), "erp-csv-1m-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runImport(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/erp-import.ts", "invoices", file, "--json"], { cwd: process.cwd(), env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("a 1M-row CSV file", () => {
  it(`imports with peak RSS under ${PEAK_RSS_LIMIT_MB} MB`, async () => {
    const file = path.join(dir, "invoices-1m.csv");
    const { invoices } = await writeInvoiceCsv(file, ROWS, { prefix: "MM" });
    const { code, stdout, stderr } = await runImport(file);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(result).toMatchObject({ status: "succeeded", rowsRead: ROWS, counts: { inserted: invoices, rejected: 0 } });
    expect(result.peakRssMb).toBeLessThan(PEAK_RSS_LIMIT_MB);
    console.log(`1M rows: ${Math.round(ROWS / result.seconds)} rows/s, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
    const db = await getDb();
    const lines = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM invoice_lines WHERE erp_id LIKE 'MM-%'`);
    expect(lines.rows[0].n).toBe(ROWS);
  }, 45 * 60_000);
});

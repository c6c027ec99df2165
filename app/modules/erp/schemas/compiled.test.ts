import { describe, expect, it } from "vitest";
import { findEntity } from "../entities/registry";
import { parserOf } from "../ingest/ingest.server";
import { invoiceRecord } from "../testing/fixtures";

/**
 * Ingest validates with zod's ahead-of-time compiled parser (`parserOf`, decision 022 addendum 2).
 * It must answer exactly as the runtime parser: the same value for a valid record, the same refusal
 * and reasons for a broken one. Compared here on valid records and on many broken variants of them.
 */

const BAD_VALUES: unknown[] = [undefined, null, "", "  ", "abc", " 12.5 ", "12.345", "-1", "1e3", 0, 12.5, -3, 1e21, true, {}, [], "2026-02-30", "EUR", "s", "Z"];

/** A deterministic pseudo-random sequence, so a failure names a case that can be re-run. */
function sequence(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

function variants(base: Record<string, unknown>, count: number, seed: number): unknown[] {
  const next = sequence(seed);
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const record = structuredClone(base) as Record<string, unknown> & { lines?: Record<string, unknown>[] };
    for (let edits = 1 + next(3); edits > 0; edits--) {
      const lines = record.lines;
      const target: Record<string, unknown> = lines && lines.length > 0 && next(2) === 0 ? lines[next(lines.length)] : record;
      const keys = [...Object.keys(target), "unknownField", "netAmount", "vatExemptionReason", "taxBreakdown", "allowanceCharges", "payments", "typeCode"];
      const key = keys[next(keys.length)];
      const value = BAD_VALUES[next(BAD_VALUES.length)];
      if (value === undefined) delete target[key];
      else target[key] = value;
    }
    out.push(record);
  }
  return out;
}

const answer = (result: { success: boolean; data?: unknown; error?: { issues: readonly { code: string; path: PropertyKey[]; message: string }[] } }) =>
  result.success ? { data: result.data } : { issues: result.error!.issues.map((i) => ({ code: i.code, path: i.path.map(String), message: i.message })) };

describe("compiled entity schemas", () => {
  it.each(["invoices", "credit-notes"])("answer %s records exactly as the runtime parser", (name) => {
    const def = findEntity(name)!;
    const fast = parserOf(def);
    expect(fast).not.toBe(def.schema); // compiled, not handed back unchanged
    const valid = [
      invoiceRecord("c-1", { lines: 5 }),
      { ...invoiceRecord("c-2", { lines: 2 }), typeCode: name === "invoices" ? "380" : "381", note: " a note ", taxCurrency: "usd", taxAmountInTaxCurrency: "1.00" },
      { ...invoiceRecord("c-3", { lines: 1 }), erpVersion: undefined, erpUpdatedAt: "2026-03-02T10:00:00Z", allowanceCharges: [{ isCharge: false, amount: "1.5", reason: "Skonto", vatCategory: "S", vatRate: "19" }] },
    ];
    for (const record of valid) expect(answer(fast.safeParse(record))).toHaveProperty("data");
    // Issues raised inside transforms and refinements (a total that does not add up, a bound) refuse on the compiled path too.
    const wrongNet = invoiceRecord("c-4", { lines: 2 });
    (wrongNet.lines[0] as Record<string, unknown>).netAmount = "1.00";
    expect(answer(fast.safeParse(wrongNet))).toEqual(answer(def.schema.safeParse(wrongNet)));
    expect(answer(fast.safeParse(wrongNet))).toMatchObject({ issues: [{ path: ["lines", "0", "netAmount"], message: "must equal quantity × unitPrice / priceBaseQuantity − allowance + charge (100.50)" }] });
    expect(answer(fast.safeParse({ ...invoiceRecord("c-5"), prepaidAmount: -1 }))).toMatchObject({ issues: [{ path: ["prepaidAmount"], message: "must be at least 0" }] });
    const records = [...valid, ...valid.flatMap((v, i) => variants(v as Record<string, unknown>, 400, 7 + i))];
    let refused = 0;
    for (const record of records) {
      const runtime = answer(def.schema.safeParse(record));
      expect(answer(fast.safeParse(record)), JSON.stringify(record)).toEqual(runtime);
      if (!("data" in runtime)) refused++;
    }
    expect(refused).toBeGreaterThan(records.length / 2); // the variants do reach the refusal paths
  });
});

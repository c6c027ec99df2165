import type { z } from "zod";
import { cents, fromCents } from "./cents";

/** Refinements several entity schemas share. */

/** Each line number once per document. */
export function checkUniqueLineNumbers(
  lines: readonly { lineNo?: number | null }[],
  field: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<number, number>();
  lines.forEach((line, i) => {
    if (line.lineNo == null) return;
    const first = seen.get(line.lineNo);
    if (first !== undefined) {
      ctx.addIssue({ code: "custom", path: [field, i, "lineNo"], message: `is used twice (also by ${field}.${first})` });
    } else seen.set(line.lineNo, i);
  });
}

/** Each child ERP id once per document. */
export function checkUniqueErpIds(items: readonly { erpId?: string | null }[], field: string, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    if (!item.erpId) return;
    const first = seen.get(item.erpId);
    if (first !== undefined) {
      ctx.addIssue({ code: "custom", path: [field, i, "erpId"], message: `is used twice (also by ${field}.${first})` });
    } else seen.set(item.erpId, i);
  });
}

/**
 * A total the ERP may send or leave out: when given it must equal what the parts add up to; either
 * way the record carries the computed value afterwards.
 */
export function settleTotal(
  given: string | null | undefined,
  computed: bigint,
  path: (string | number)[],
  explain: string,
  ctx: z.RefinementCtx,
): string {
  if (given != null && cents(given) !== computed) {
    ctx.addIssue({ code: "custom", path, message: `must equal ${explain} (${fromCents(computed)})` });
  }
  return fromCents(computed);
}

/** gross = net + tax (BR-CO-15), with gross optional. */
export function settleGross(
  record: { netAmount: string; taxAmount: string; grossAmount?: string | null },
  ctx: z.RefinementCtx,
): string {
  return settleTotal(record.grossAmount, cents(record.netAmount) + cents(record.taxAmount), ["grossAmount"], "netAmount + taxAmount", ctx);
}

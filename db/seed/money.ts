/**
 * Exact decimal arithmetic for the generator: money in integer cents, quantities in thousandths,
 * unit prices in ten-thousandths, percentages and VAT rates in basis points (19 % = 1900).
 * Rounding is commercial (half away from zero), as in the ERP and in EN 16931.
 */

export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** round(quantity × unit price, 2) in cents. */
export function extend(qtyMilli: number, priceTT: number): number {
  return Number(roundDiv(BigInt(qtyMilli) * BigInt(priceTT), 100_000n));
}

/** round(amount × basis points / 10000) in cents. */
export function percentOf(cents: number, bp: number): number {
  return Number(roundDiv(BigInt(cents) * BigInt(bp), 10_000n));
}

function fixed(value: number, scale: number): string {
  if (!Number.isInteger(value)) throw new Error(`not an integer amount: ${value}`);
  const negative = value < 0;
  const digits = String(Math.abs(value)).padStart(scale + 1, "0");
  const out = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${out}` : out;
}

export const money = (cents: number): string => fixed(cents, 2);
export const qty = (milli: number): string => fixed(milli, 3);
export const price = (tenThousandths: number): string => fixed(tenThousandths, 4);
export const rate = (bp: number): string => fixed(bp, 2);

/** "1234.56" → 123456 (exact). */
export function toCents(decimal: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(decimal);
  if (!m) throw new Error(`not a money amount: ${decimal}`);
  const cents = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -cents : cents;
}

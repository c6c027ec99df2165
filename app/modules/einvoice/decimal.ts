/**
 * Exact decimal arithmetic for invoice amounts: values travel as decimal strings (as Postgres
 * numeric gives them) and are computed as bigint units of a fixed scale, never as floats.
 * Rounding is commercial (half away from zero), as EN 16931 expects.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "12.3" at scale 2 → 1230n. Throws for text that is not a plain decimal or has more digits than the scale. */
export function toUnits(value: string | number, scale: number): bigint {
  const text = typeof value === "number" ? String(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new Error(`not a decimal number: ${JSON.stringify(value)}`);
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  if (fraction.length > scale) throw new Error(`${text} has more than ${scale} decimals`);
  const units = BigInt(m[2]) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0");
  return m[1] ? -units : units;
}

/** Whether `value` is a plain decimal with at most `scale` decimals (BR-DEC-*). */
export function hasAtMostDecimals(value: string, scale: number): boolean {
  const m = DECIMAL.exec(value.trim());
  return !!m && (m[3] ?? "").replace(/0+$/, "").length <= scale;
}

export function fromUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const out = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return negative ? `-${out}` : out;
}

export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** Money in cents. */
export const cents = (value: string): bigint => toUnits(value, 2);
export const money = (units: bigint): string => fromUnits(units, 2);

/** A decimal string without trailing zeros beyond `minScale` (quantities, rates, prices in XML). */
export function trimDecimal(value: string, minScale = 0): string {
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  let fraction = (m[3] ?? "").replace(/0+$/, "");
  if (fraction.length < minScale) fraction = fraction.padEnd(minScale, "0");
  return `${m[1]}${BigInt(m[2]).toString()}${fraction ? `.${fraction}` : ""}`;
}

/** round(amount × rate / 100, 2) in cents, rate given as a decimal percentage ("19.00"). */
export function percentOfCents(amountCents: bigint, ratePercent: string): bigint {
  return roundDiv(amountCents * toUnits(ratePercent, 2), 10_000n);
}

/** round(quantity × price / base quantity) − line allowance + line charge, in cents (PEPPOL-EN16931-R120). */
export function expectedLineNetCents(line: { quantity: string; unitPrice: string; priceBaseQuantity: string; allowanceAmount: string; chargeAmount: string }): bigint {
  const q = toUnits(line.quantity, 3);
  const p = toUnits(line.unitPrice, 4);
  const base = toUnits(line.priceBaseQuantity, 3);
  // q (×1e3) × p (×1e4) / base (×1e3) → ×1e4; to cents: / 100.
  const gross = roundDiv(q * p, base * 100n);
  return gross - cents(line.allowanceAmount) + cents(line.chargeAmount);
}

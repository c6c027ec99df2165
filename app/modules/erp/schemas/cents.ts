/**
 * Exact arithmetic on the decimal strings the schemas produce: amounts in integer cents, prices in
 * ten-thousandths, quantities in thousandths, rates in basis points. Rounding is commercial (half
 * away from zero), as in EN 16931 and the demo ERP (db/seed/money.ts).
 */

/**
 * "1234.56" (any scale) → the integer in units of 10^-scale. Extra decimals are cut. Up to 15 digits
 * (every amount, price and quantity a schema lets through) the digits are summed as a double, which
 * is exact below 2^53, and converted once; longer text goes through BigInt's own parser. Parsing
 * decimal text into BigInt was the largest single cost of settling an invoice's totals.
 */
export function scaled(value: string, scale: number): bigint {
  const negative = value.charCodeAt(0) === 45; // "-"
  const dot = value.indexOf(".");
  const start = negative ? 1 : 0;
  const wholeEnd = dot < 0 ? value.length : dot;
  if (wholeEnd - start + scale <= 15) {
    let units = 0;
    let plain = true;
    for (let i = start; i < wholeEnd && plain; i++) {
      const d = value.charCodeAt(i) - 48;
      plain = d >= 0 && d <= 9;
      units = units * 10 + d;
    }
    for (let i = 0; i < scale && plain; i++) {
      const at = dot + 1 + i;
      const d = dot >= 0 && at < value.length ? value.charCodeAt(at) - 48 : 0;
      plain = d >= 0 && d <= 9;
      units = units * 10 + d;
    }
    if (plain) return BigInt(negative ? -units : units);
  }
  // Long or unusual text: BigInt's parser (and its SyntaxError), as before.
  const [whole, fraction = ""] = (negative ? value.slice(1) : value).split(".");
  const digits = BigInt(whole + fraction.padEnd(scale, "0").slice(0, scale));
  return negative ? -digits : digits;
}

export const cents = (value: string): bigint => scaled(value, 2);

/** Integer cents → "1234.56". */
export function fromCents(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** round(quantity × unit price / base quantity, 2) in cents (BT-131 before allowances and charges). */
export function extendLine(quantity: string, unitPrice: string, baseQuantity: string): bigint {
  // thousandths × ten-thousandths = 10^-7; divided by the base (thousandths) → 10^-4; to cents: / 100.
  return roundDiv(scaled(quantity, 3) * scaled(unitPrice, 4), scaled(baseQuantity, 3) * 100n);
}

/** round(amount × rate %, 2) in cents; rate "19.00". */
export function percentOf(amountCents: bigint, rate: string): bigint {
  return roundDiv(amountCents * scaled(rate, 2), 10_000n);
}

export function sumCents(values: readonly string[]): bigint {
  return values.reduce((sum, v) => sum + cents(v), 0n);
}

import { extend, percentOf } from "../money";
import type { Product } from "../reference";
import type { Acc, AllowanceCharge, InvItem, LineNet, Tax, Totals } from "./domain";

/**
 * Prices, VAT treatment and document totals. Amounts are integer cents (prices: ten-thousandths),
 * so the totals add up exactly the way EN 16931 requires (BR-CO-10…17).
 */

const TAX_TEXT = {
  K: {
    de: "Steuerfreie innergemeinschaftliche Lieferung gemäß § 4 Nr. 1b i. V. m. § 6a UStG",
    en: "Intra-community supply, exempt under Art. 138 of Directive 2006/112/EC",
    code: "VATEX-EU-IC",
  },
  AE: {
    de: "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)",
    en: "Reverse charge: VAT to be accounted for by the recipient (Art. 196 of Directive 2006/112/EC)",
    code: "VATEX-EU-AE",
  },
  G: {
    de: "Steuerfreie Ausfuhrlieferung gemäß § 4 Nr. 1a i. V. m. § 6 UStG",
    en: "Export outside the EU, exempt under Art. 146 of Directive 2006/112/EC",
    code: "VATEX-EU-G",
  },
} as const;

/** The account's unit price for a product, in ten-thousandths of its currency (4 decimals, like the ERP). */
export function unitPriceTT(acc: Acc, product: Product): number {
  const [euros, cents = "00"] = product.price.split(".");
  const eurCents = Number(euros) * 100 + Number(cents.padEnd(2, "0"));
  // Converted list prices are rounded to whole cents, then stored with 4 decimals.
  return Math.round(eurCents * acc.country.fx) * 100;
}

export function taxFor(acc: Acc, product: Product): Tax {
  const zone = acc.country.zone;
  if (zone === "DE") return { category: "S", rateBP: product.kind === "reduced" ? 700 : 1900, reason: null, code: null };
  const category = zone === "EXPORT" ? "G" : product.kind === "service" ? "AE" : "K";
  return { category, rateBP: 0, reason: TAX_TEXT[category][acc.lang], code: TAX_TEXT[category].code };
}

/** Per VAT category and rate: taxable amount and tax (rounded once per group, as BR-CO-17 expects). */
export function taxGroups(items: { tax: Tax; net: number }[]) {
  const groups = new Map<string, { tax: Tax; taxable: number }>();
  for (const item of items) {
    const key = `${item.tax.category}|${item.tax.rateBP}`;
    const g = groups.get(key) ?? { tax: item.tax, taxable: 0 };
    g.taxable += item.net;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, taxAmount: percentOf(g.taxable, g.tax.rateBP) }));
}

export function computeLineNets(items: InvItem[]): LineNet[] {
  return items.map((item) => {
    const gross = extend(item.qtyMilli, item.line.priceTT);
    const allowance = percentOf(gross, item.line.discountBP);
    return { item, gross, allowance, net: gross - allowance, tax: item.line.tax };
  });
}

/** Header totals and the VAT breakdown (tax rounded once per category and rate, BR-CO-17). */
export function invoiceTotals(lineNets: LineNet[], acs: AllowanceCharge[]): Totals {
  const groups = new Map<string, { tax: Tax; taxable: number }>();
  const add = (tax: Tax, amount: number) => {
    const key = `${tax.category}|${tax.rateBP}`;
    const g = groups.get(key) ?? { tax, taxable: 0 };
    g.taxable += amount;
    groups.set(key, g);
  };
  for (const l of lineNets) add(l.tax, l.net);
  for (const ac of acs) add(ac.tax, ac.isCharge ? ac.amount : -ac.amount);
  const breakdown = [...groups.values()].map((g) => ({ ...g, taxAmount: percentOf(g.taxable, g.tax.rateBP) }));
  const lineNetTotal = lineNets.reduce((s, l) => s + l.net, 0);
  const allowanceTotal = acs.filter((a) => !a.isCharge).reduce((s, a) => s + a.amount, 0);
  const chargeTotal = acs.filter((a) => a.isCharge).reduce((s, a) => s + a.amount, 0);
  const net = lineNetTotal - allowanceTotal + chargeTotal;
  const taxTotal = breakdown.reduce((s, b) => s + b.taxAmount, 0);
  return { breakdown, lineNetTotal, allowanceTotal, chargeTotal, net, taxTotal, gross: net + taxTotal };
}

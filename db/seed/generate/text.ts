import { createHash } from "node:crypto";
import type { Acc, Lang, Loc } from "./domain";

/** Small text helpers shared by several builders. */

/** Stands in for file hashes and token hashes: stable for the same input, like the real thing. */
export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Plain ASCII for email addresses and domains built from company and person names. */
function fold(text: string): string {
  return text
    .replace(/ß/g, "ss")
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/Ä/g, "Ae")
    .replace(/Ö/g, "Oe")
    .replace(/Ü/g, "Ue")
    .replace(/[øØ]/g, "o")
    .replace(/[æÆ]/g, "ae")
    .replace(/[łŁ]/g, "l")
    .replace(/[œŒ]/g, "oe")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
}

export function slug(text: string): string {
  return fold(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export const COUNTRY_NAMES: Record<string, Record<Lang, string>> = {
  DE: { de: "Deutschland", en: "Germany" },
  AT: { de: "Österreich", en: "Austria" },
  CH: { de: "Schweiz", en: "Switzerland" },
  FR: { de: "Frankreich", en: "France" },
  NL: { de: "Niederlande", en: "Netherlands" },
  IT: { de: "Italien", en: "Italy" },
  ES: { de: "Spanien", en: "Spain" },
  PL: { de: "Polen", en: "Poland" },
  DK: { de: "Dänemark", en: "Denmark" },
  SE: { de: "Schweden", en: "Sweden" },
  GB: { de: "Vereinigtes Königreich", en: "United Kingdom" },
  US: { de: "USA", en: "United States" },
};

/** The multi-line ship-to address printed on orders, shipments and delivery notes. */
export function shippingAddress(acc: Acc, loc: Loc): string {
  return [acc.name, loc.name, loc.street, `${loc.postalCode} ${loc.city}`, COUNTRY_NAMES[loc.countryCode][acc.lang]].join("\n");
}

import { en, type MessageKey } from "~/i18n/en";
import { translate, type Language } from "~/i18n/i18n";

export interface RefusalReason {
  rule: string;
  term: string;
  message: string;
}

const LINE_RULES = new Set(["BR-21", "BR-22", "BR-23", "BR-24", "BR-25", "BR-26", "BR-27", "BR-42", "BR-44", "PEPPOL-EN16931-R120"]);
const ALLOWANCE_CHARGE_RULES = new Set(["BR-33", "BR-38", "BR-DEC-01", "BR-DEC-05"]);
const TOTALS_RULES = /^BR-(1[2-5]|CO-1[0-6])$/;
/** The per-category VAT rules (BR-S-08, BR-AE-10, BR-IC-02 …) share a text per rule number. */
const VAT_CATEGORY_RULE = /^BR-(?:S|Z|E|AE|IC|G)-(\d\d)$/;
const VAT_FAMILY: Record<string, string> = { "01": "vat-01", "02": "vat-02", "03": "vat-02", "04": "vat-02", "05": "vat-05", "06": "vat-05", "07": "vat-05", "08": "vat-08", "09": "vat-09", "10": "vat-10" };

/** The catalog key for a refusal's rule: its own text, else its rule family's, else the general one. */
export function refusalReasonKey(rule: string): MessageKey {
  const own = `einvoice.rule.${rule}`;
  if (own in en) return own as MessageKey;
  if (LINE_RULES.has(rule)) return "einvoice.rule.line";
  if (ALLOWANCE_CHARGE_RULES.has(rule)) return "einvoice.rule.allowance-charge";
  if (TOTALS_RULES.test(rule)) return "einvoice.rule.totals";
  if (rule.startsWith("BR-DEC")) return "einvoice.rule.decimals";
  const family = VAT_FAMILY[VAT_CATEGORY_RULE.exec(rule)?.[1] ?? ""];
  return family ? (`einvoice.rule.${family}` as MessageKey) : "einvoice.rule.other";
}

/**
 * A refusal as the invoice page shows it: the rule id always (the contact can quote it to the
 * supplier), then why. In English the validator's own message, which names lines and amounts; in
 * German the catalog's text for the rule, with the business term by its number only (the EN 16931
 * term names are English). The API and the staff pages keep the validator's English.
 */
export function describeRefusal(lang: Language, reason: RefusalReason): string {
  if (lang === "en") return `[${reason.rule}] ${reason.term} — ${reason.message}`;
  const termId = /^B[TG]-\d+/.exec(reason.term)?.[0] ?? reason.term;
  return `[${reason.rule}] ${termId} — ${translate(lang, refusalReasonKey(reason.rule))}`;
}

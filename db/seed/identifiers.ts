import type { Rng } from "./random";

/**
 * Format-valid (and, where a public checksum exists, checksum-valid) business identifiers for the
 * demo data. They are random: none belongs to a real company.
 */

/** German USt-IdNr.: DE + 8 digits + ISO 7064 MOD 11,10 check digit. */
export function germanVatId(rng: Rng): string {
  const body = String(rng.int(1, 9)) + rng.digits(7);
  return `DE${body}${mod11_10(body)}`;
}

export function mod11_10(digits: string): number {
  let product = 10;
  for (const ch of digits) {
    let sum = (Number(ch) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

export function isValidGermanVatId(vatId: string): boolean {
  const m = /^DE(\d{8})(\d)$/.exec(vatId);
  return !!m && mod11_10(m[1]) === Number(m[2]);
}

/** French numéro de TVA: FR + 2-digit key + 9-digit SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97. */
export function frenchVatId(rng: Rng): string {
  const siren = String(rng.int(3, 9)) + rng.digits(8);
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, "0")}${siren}`;
}

/** A VAT id in the format of the country (null for the US, which has none). */
export function vatIdFor(country: string, rng: Rng): string | null {
  switch (country) {
    case "DE":
      return germanVatId(rng);
    case "AT":
      return `ATU${String(rng.int(1, 9))}${rng.digits(7)}`;
    case "FR":
      return frenchVatId(rng);
    case "NL":
      return `NL${String(rng.int(1, 9))}${rng.digits(8)}B0${rng.int(1, 3)}`;
    case "IT":
      return `IT${rng.digits(7)}${String(rng.int(1, 9))}${rng.digits(3)}`;
    case "ES":
      return `ES${rng.pick(["A", "B"])}${String(rng.int(1, 9))}${rng.digits(7)}`;
    case "PL":
      return `PL${String(rng.int(1, 9))}${rng.digits(9)}`;
    case "DK":
      return `DK${String(rng.int(1, 9))}${rng.digits(7)}`;
    case "SE":
      return `SE${String(rng.int(1, 9))}${rng.digits(9)}01`;
    case "CH": {
      const d = String(rng.int(1, 9)) + rng.digits(8);
      return `CHE-${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)} MWST`;
    }
    case "GB":
      return `GB${String(rng.int(1, 9))}${rng.digits(8)}`;
    default:
      return null;
  }
}

/** ISO 7064 MOD 97-10 over digits and letters (A = 10 … Z = 35), as IBAN and Leitweg-ID use it. */
export function mod97(value: string): number {
  const numeric = value
    .toUpperCase()
    .split("")
    .map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch))
    .join("");
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  return rest;
}

/** A German IBAN for the bank code and account number, with its check digits. */
export function germanIban(bankCode: string, accountNumber: string): string {
  const bban = bankCode + accountNumber.padStart(10, "0");
  const check = 98 - mod97(`${bban}DE00`);
  return `DE${String(check).padStart(2, "0")}${bban}`;
}

export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/\s+/g, "");
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
}

/**
 * A Leitweg-ID (routing id of German public-sector buyers, XRechnung BT-10):
 * coarse address - fine address - check digits (ISO 7064 MOD 97-10 over coarse + fine).
 */
export function leitwegId(coarse: string, fine: string): string {
  const check = 98 - mod97(`${coarse}${fine}00`);
  return `${coarse}-${fine}-${String(check).padStart(2, "0")}`;
}

export function isValidLeitwegId(id: string): boolean {
  const m = /^([0-9]{2,12})(?:-([0-9A-Z]{1,30}))?-([0-9]{2})$/.exec(id);
  return !!m && mod97(`${m[1]}${m[2] ?? ""}${m[3]}`) === 1;
}

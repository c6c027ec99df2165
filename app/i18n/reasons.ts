import type { Language } from "./i18n";

/**
 * Validation reasons come from the zod schemas in English (the API and CSV import answer in
 * English). Forms show them in the contact's language; an unknown reason stays in English.
 */
const GERMAN: Record<string, string> = {
  "is required": "ist erforderlich",
  "is too long": "ist zu lang",
  "is not a valid email address": "ist keine gültige E-Mail-Adresse",
  "must be at least 10 characters": "muss mindestens 10 Zeichen haben",
  "must be at most 200 characters": "darf höchstens 200 Zeichen haben",
  "must be at most 35 characters": "darf höchstens 35 Zeichen haben",
  "must be at most 1000 characters": "darf höchstens 1000 Zeichen haben",
  "is not a quote": "ist kein Angebot",
  "must be accept or reject": "muss annehmen oder ablehnen sein",
  "does not match the password": "stimmt nicht mit dem Passwort überein",
  "is not your current password": "ist nicht Ihr aktuelles Passwort",
  "must differ from the current password": "muss sich vom aktuellen Passwort unterscheiden",
  "is not a VAT id (country code and number, e.g. DE123456789)": "ist keine USt-IdNr. (Länderkennung und Nummer, z. B. DE123456789)",
  "must be locations of this account": "müssen Standorte dieses Kontos sein",
  "belongs to a staff sign-in and cannot be a customer contact": "gehört zu einem Mitarbeiterzugang und kann kein Kundenkontakt sein",
  "must be en or de": "muss en oder de sein",
  "is not an order": "ist kein Auftrag",
  "is not shipped yet": "ist noch nicht geliefert",
  "is not a line of this order": "ist keine Position dieses Auftrags",
  "is missing; reload the page and try again": "fehlt; laden Sie die Seite neu und versuchen Sie es noch einmal",
  "must be one of the listed reasons": "muss einer der aufgeführten Gründe sein",
  "must be one of the listed categories": "muss eine der aufgeführten Kategorien sein",
  "must be one of the listed priorities": "muss eine der aufgeführten Prioritäten sein",
  "must be a number with at most 3 decimals": "muss eine Zahl mit höchstens 3 Nachkommastellen sein",
  "must be greater than 0 (leave it empty to keep the line)": "muss größer als 0 sein (leer lassen, um die Position zu behalten)",
  "need a quantity on at least one line": "brauchen bei mindestens einer Position eine Menge",
  "must be at most 10000 characters": "darf höchstens 10000 Zeichen haben",
  "is not an order or invoice number of this account": "ist keine Auftrags- oder Rechnungsnummer dieses Kontos",
  "is required to attach files": "ist erforderlich, um Dateien anzuhängen",
};

const de = (decimal: string) => decimal.replace(".", ",");

/** Reasons with numbers in them (the database's limits), as patterns. */
const GERMAN_PATTERNS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [
    /^must be at most ([\d.]+) \(delivered ([\d.]+), already requested ([\d.]+)\)$/,
    (m) => `darf höchstens ${de(m[1])} sein (geliefert ${de(m[2])}, bereits angemeldet ${de(m[3])})`,
  ],
  // Refused attachments (app/modules/attachments/upload.server.ts), one reason per file.
  [/^must be at most (\d+) files \((\d+) were chosen\)$/, (m) => `dürfen höchstens ${m[1]} Dateien sein (${m[2]} gewählt)`],
  [/^"(.+)" is (.+); the limit is (.+) per file$/, (m) => `„${m[1]}“ hat ${de(m[2])}; erlaubt sind höchstens ${m[3]} je Datei`],
  [/^"(.+)" is empty$/, (m) => `„${m[1]}“ ist leer`],
  [/^"(.+)" is not accepted: its content is (\S+) \((\.\w+)\), not one of .+$/, (m) => `„${m[1]}“ wird nicht angenommen: der Inhalt ist ${m[2]} (${m[3]}), ${NOT_ACCEPTED}`],
  [/^"(.+)" is not accepted: its content is none of .+$/, (m) => `„${m[1]}“ wird nicht angenommen: der Inhalt ist ${NOT_ACCEPTED}`],
  [/^"(.+)" is named (\.\w+) but its content is (.+)$/, (m) => `„${m[1]}“ heißt ${m[2]}, der Inhalt ist aber ${TYPE_WORDS[m[3]] ?? m[3]}`],
];

const NOT_ACCEPTED = "weder ein Bild (JPEG, PNG, WebP, HEIC) noch PDF, Text oder CSV";
const TYPE_WORDS: Record<string, string> = {
  "a JPEG image": "ein JPEG-Bild", "a PNG image": "ein PNG-Bild", "a WebP image": "ein WebP-Bild", "a HEIC image": "ein HEIC-Bild",
  "a HEIF image": "ein HEIF-Bild", "a PDF": "ein PDF", "plain text": "Text", "CSV text": "CSV-Text",
};


export function localizeReason(lang: Language, reason: string): string {
  if (lang !== "de") return reason;
  if (GERMAN[reason]) return GERMAN[reason];
  for (const [pattern, german] of GERMAN_PATTERNS) {
    const match = reason.match(pattern);
    if (match) return german(match);
  }
  return reason;
}

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
  "is not a VAT id (country code and number, e.g. DE123456789)": "ist keine USt-IdNr. (Länderkennung und Nummer, z. B. DE123456789)",
  "must be locations of this account": "müssen Standorte dieses Kontos sein",
  "belongs to a staff sign-in and cannot be a customer contact": "gehört zu einem Mitarbeiterzugang und kann kein Kundenkontakt sein",
  "must be en or de": "muss en oder de sein",
};

export function localizeReason(lang: Language, reason: string): string {
  return lang === "de" ? (GERMAN[reason] ?? reason) : reason;
}

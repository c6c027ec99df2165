import type { MappingInput } from "./mapping";

/**
 * Column mapping presets. "standard": the columns are named like the fields (lines.quantity for a
 * line's quantity), numbers and dates in ISO form. "german": the column names of a typical German
 * ERP export (DATEV-style headers), numbers like 1.234,56 and dates like 31.12.2026, semicolons.
 */

const GERMAN_FORMATS = { numberFormat: "de", dateFormat: "DD.MM.YYYY", timeZoneOffset: "+01:00" } as const;

const GERMAN_INVOICE_COLUMNS: Record<string, string> = {
  "Beleg-ID": "erpId",
  Version: "erpVersion",
  "Geändert am": "erpUpdatedAt",
  Debitor: "accountErpId",
  Lieferadresse: "locationErpId",
  Kostenstelle: "costCenterErpId",
  Auftrag: "salesOrderErpId",
  Bezugsrechnung: "precedingInvoiceErpId",
  Belegart: "typeCode",
  Rechnungsnummer: "number",
  Rechnungsdatum: "issueDate",
  Fälligkeit: "dueDate",
  Lieferdatum: "deliveryDate",
  Währung: "currency",
  "Leitweg-ID": "buyerReference",
  Bestellnummer: "customerReference",
  Netto: "netAmount",
  Steuer: "taxAmount",
  Brutto: "grossAmount",
  Anzahlung: "prepaidAmount",
  Bezahlt: "paidAmount",
  Zahlungsbedingungen: "paymentTerms",
  Verwendungszweck: "paymentReference",
  Bemerkung: "note",
  Position: "lines.lineNo",
  "Positions-ID": "lines.erpId",
  Auftragsposition: "lines.salesOrderLineErpId",
  Artikelnummer: "lines.sku",
  Bezeichnung: "lines.description",
  Menge: "lines.quantity",
  Einheit: "lines.unit",
  Einzelpreis: "lines.unitPrice",
  Preiseinheit: "lines.priceBaseQuantity",
  Rabatt: "lines.lineAllowanceAmount",
  Zuschlag: "lines.lineChargeAmount",
  Positionsnetto: "lines.netAmount",
  "USt-Kategorie": "lines.vatCategory",
  "USt-Satz": "lines.vatRate",
  Steuerbefreiung: "lines.vatExemptionReason",
};

const GERMAN: Record<string, Record<string, string>> = {
  invoices: GERMAN_INVOICE_COLUMNS,
  "credit-notes": GERMAN_INVOICE_COLUMNS,
  payments: {
    "Zahlungs-ID": "erpId",
    Version: "erpVersion",
    "Geändert am": "erpUpdatedAt",
    "Beleg-ID": "invoiceErpId",
    Zahldatum: "paidAt",
    Betrag: "amount",
    Währung: "currency",
    Zahlart: "method",
    Verwendungszweck: "reference",
  },
  accounts: {
    Debitor: "erpId",
    Version: "erpVersion",
    "Geändert am": "erpUpdatedAt",
    "Übergeordneter Debitor": "parentErpId",
    Kundennummer: "number",
    Name: "name",
    "USt-IdNr.": "vatId",
    Land: "countryCode",
    Sprache: "language",
    Währung: "currency",
    "Leitweg-ID": "buyerReference",
    Straße: "street",
    PLZ: "postalCode",
    Ort: "city",
    "E-Mail": "email",
    Telefon: "phone",
    Zahlungsziel: "paymentTermsDays",
    Kreditlimit: "creditLimit",
  },
  locations: {
    "Adress-ID": "erpId",
    Version: "erpVersion",
    Debitor: "accountErpId",
    Kürzel: "code",
    Name: "name",
    Straße: "street",
    PLZ: "postalCode",
    Ort: "city",
    Land: "countryCode",
    Standardlieferadresse: "isDefaultShipTo",
  },
};

export const PRESET_NAMES = ["standard", "german"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export function presetMapping(name: string, entity: string): MappingInput | null {
  if (name === "standard") return { columns: {} };
  if (name === "german") return { columns: GERMAN[entity] ?? {}, ...GERMAN_FORMATS, delimiter: ";" };
  return null;
}

/** Entities the German preset names columns for (others use field names with German formats). */
export function germanPresetEntities(): string[] {
  return Object.keys(GERMAN);
}

import { buildCii } from "./cii";
import { EINVOICE_FORMATS, FORMAT_INFO, type EInvoiceFormat, type InvoiceModel, type Profile } from "./model";
import { buildUbl } from "./ubl";
import { EInvoiceRefusedError, validateInvoice, type ValidationResult } from "./validate";

/**
 * The one way to an e-invoice: validate the model for the format's profile, refuse with the rules
 * when it fails, and only then write the XML. The hybrid PDF formats embed exactly this XML
 * (app/modules/pdf/hybrid.server.ts).
 */

export function buildEInvoiceXml(invoice: InvoiceModel, format: EInvoiceFormat): string {
  const info = FORMAT_INFO[format];
  const result = validateInvoice(invoice, info.profile);
  if (!result.ok) throw new EInvoiceRefusedError(invoice.number, info.profile, result.errors);
  return info.syntax === "ubl" ? buildUbl(invoice, info.profile) : buildCii(invoice, info.profile);
}

/** The XML a hybrid PDF of `format` embeds, and the name it gets inside the PDF. */
export function embeddedXmlName(format: EInvoiceFormat): string {
  return FORMAT_INFO[format].profile === "xrechnung" ? "xrechnung.xml" : "factur-x.xml";
}

export interface FormatAvailability {
  format: EInvoiceFormat;
  label: string;
  available: boolean;
  /** Why not, rule by rule (empty when available). */
  reasons: { rule: string; term: string; message: string }[];
}

/** Which formats an invoice can be exported in, and for the others why not: one validation per profile. */
export function checkEInvoiceFormats(invoice: InvoiceModel, lang: "en" | "de" = "en"): FormatAvailability[] {
  const byProfile = new Map<Profile, ValidationResult>();
  for (const profile of ["en16931", "xrechnung"] as const) byProfile.set(profile, validateInvoice(invoice, profile));
  return EINVOICE_FORMATS.map((format) => {
    const result = byProfile.get(FORMAT_INFO[format].profile)!;
    return { format, label: FORMAT_INFO[format].label[lang], available: result.ok, reasons: result.errors };
  });
}

/** File name for a download: number, kind and format, safe for every file system. */
export function eInvoiceFileName(invoice: Pick<InvoiceModel, "number" | "kind">, format: EInvoiceFormat): string {
  const kind = invoice.kind === "credit_note" ? "credit-note" : "invoice";
  return `${safeFileName(invoice.number)}_${kind}_${FORMAT_INFO[format].fileSuffix}`;
}

export function safeFileName(value: string): string {
  return value.replace(/[^\w.-]+/g, "_").slice(0, 100);
}

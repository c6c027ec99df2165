import type { Queryable } from "~/db/db.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { isUuid } from "~/modules/ids";
import { cents, money } from "./decimal";
import type { InvoiceModel, VatCategory } from "./model";

/**
 * Reads one invoice or credit note, with everything the e-invoice and the PDF need, into the
 * EN 16931 model. Contacts go through the scope (not theirs = null, like not there); staff pages
 * and tools use loadInvoiceDocumentForStaff.
 */

export interface InvoiceDocument {
  model: InvoiceModel;
  /** Changes whenever the ERP changes the document: the render cache key (rendered_documents). */
  version: string;
  accountId: string;
  accountNumber: string;
  language: "en" | "de";
  status: "open" | "partially_paid" | "paid" | "cancelled";
  paidAmount: string;
  /** Amount still open today (after payments received since issue). */
  amountDueNow: string;
  payments: { paidAt: string; amount: string; method: string | null; reference: string | null }[];
  updatedAt: Date;
}

export async function loadInvoiceDocument(db: Queryable, scope: Scope, invoiceId: string): Promise<InvoiceDocument | null> {
  if (!isUuid(invoiceId) || !contactCan(scope.role, "invoices.read")) return null;
  const where = scopeFilter(scope, "i", 2);
  const found = await db.query<{ id: string }>(`SELECT i.id FROM invoices i WHERE i.id = $1 AND ${where.sql}`, [invoiceId, ...where.params]);
  return found.rowCount ? loadById(db, invoiceId) : null;
}

/** Staff (admin pages), the samples script and the benchmark: no customer scope. */
export async function loadInvoiceDocumentForStaff(db: Queryable, invoiceId: string): Promise<InvoiceDocument | null> {
  return isUuid(invoiceId) ? loadById(db, invoiceId) : null;
}

interface HeaderRow {
  id: string;
  kind: "invoice" | "credit_note";
  type_code: string;
  number: string;
  issue_date: string;
  due_date: string | null;
  tax_point_date: string | null;
  delivery_date: string | null;
  service_period_start: string | null;
  service_period_end: string | null;
  currency: string;
  tax_currency: string | null;
  buyer_reference: string | null;
  customer_reference: string | null;
  preceding_invoice_id: string | null;
  line_net_total: string;
  allowance_total: string;
  charge_total: string;
  net_amount: string;
  tax_amount: string;
  tax_amount_in_tax_currency: string | null;
  gross_amount: string;
  prepaid_amount: string;
  paid_amount: string;
  amount_due: string;
  status: InvoiceDocument["status"];
  payment_terms: string | null;
  payment_means_code: string;
  payment_reference: string | null;
  note: string | null;
  erp_version: number;
  updated_at: Date;
  account_id: string;
  order_number: string | null;
  p_number: string | null;
  p_issue_date: string | null;
  a_number: string;
  a_name: string;
  a_vat_id: string | null;
  a_language: "en" | "de";
  a_buyer_reference: string | null;
  a_einvoice_address: string | null;
  a_street: string | null;
  a_postal_code: string | null;
  a_city: string | null;
  a_country_code: string;
  l_name: string | null;
  l_street: string | null;
  l_postal_code: string | null;
  l_city: string | null;
  l_country_code: string | null;
}

async function loadById(db: Queryable, invoiceId: string): Promise<InvoiceDocument | null> {
  const { rows } = await db.query<HeaderRow>(
    `SELECT i.*, o.number AS order_number, p.number AS p_number, p.issue_date AS p_issue_date,
            a.number AS a_number, a.name AS a_name, a.vat_id AS a_vat_id, a.language AS a_language,
            a.buyer_reference AS a_buyer_reference, a.einvoice_address AS a_einvoice_address, a.street AS a_street,
            a.postal_code AS a_postal_code, a.city AS a_city, a.country_code AS a_country_code,
            l.name AS l_name, l.street AS l_street, l.postal_code AS l_postal_code, l.city AS l_city, l.country_code AS l_country_code
       FROM invoices i
       JOIN accounts a ON a.id = i.account_id
       LEFT JOIN sales_orders o ON o.id = i.sales_order_id
       LEFT JOIN invoices p ON p.id = i.preceding_invoice_id
       LEFT JOIN locations l ON l.id = i.location_id
      WHERE i.id = $1`,
    [invoiceId],
  );
  const h = rows[0];
  if (!h) return null;
  const [seller, lines, acs, breakdown, payments] = await Promise.all([
    loadSeller(db),
    db.query<{ line_no: number; sku: string | null; description: string; quantity: string; unit: string; unit_price: string; price_base_quantity: string; line_allowance_amount: string; line_charge_amount: string; net_amount: string; vat_category: VatCategory; vat_rate: string }>(
      `SELECT line_no, sku, description, quantity, unit, unit_price, price_base_quantity, line_allowance_amount, line_charge_amount,
              net_amount, vat_category, vat_rate
         FROM invoice_lines WHERE invoice_id = $1 ORDER BY line_no`,
      [invoiceId],
    ),
    db.query<{ is_charge: boolean; amount: string; base_amount: string | null; percent: string | null; reason: string | null; reason_code: string | null; vat_category: VatCategory; vat_rate: string }>(
      `SELECT is_charge, amount, base_amount, percent, reason, reason_code, vat_category, vat_rate
         FROM invoice_allowance_charges WHERE invoice_id = $1 ORDER BY seq`,
      [invoiceId],
    ),
    db.query<{ vat_category: VatCategory; vat_rate: string; taxable_amount: string; tax_amount: string; exemption_reason: string | null; exemption_reason_code: string | null }>(
      `SELECT vat_category, vat_rate, taxable_amount, tax_amount, exemption_reason, exemption_reason_code
         FROM invoice_tax_breakdown WHERE invoice_id = $1 ORDER BY vat_category, vat_rate DESC`,
      [invoiceId],
    ),
    db.query<InvoiceDocument["payments"][number]>(
      `SELECT paid_at AS "paidAt", amount, method, reference FROM payments WHERE invoice_id = $1 ORDER BY paid_at`,
      [invoiceId],
    ),
  ]);
  const de = h.a_language === "de";
  const hasLocation = h.l_country_code !== null;
  const model: InvoiceModel = {
    id: h.id,
    kind: h.kind,
    number: h.number,
    issueDate: h.issue_date,
    typeCode: h.type_code,
    currency: h.currency,
    taxCurrency: h.tax_currency,
    taxPointDate: h.tax_point_date,
    dueDate: h.due_date,
    buyerReference: h.buyer_reference ?? h.a_buyer_reference,
    orderReference: h.customer_reference,
    salesOrderNumber: h.order_number,
    note: h.note,
    paymentTerms: h.payment_terms,
    precedingInvoice: h.p_number ? { number: h.p_number, issueDate: h.p_issue_date } : null,
    precedingInvoiceMissing: h.kind === "credit_note" && !h.p_number,
    deliveryDate: h.delivery_date,
    invoicingPeriod: h.service_period_start || h.service_period_end ? { start: h.service_period_start, end: h.service_period_end } : null,
    seller: seller.party,
    buyer: {
      name: h.a_name,
      tradeName: null,
      vatId: h.a_vat_id,
      taxNumber: null,
      legalRegistration: null,
      electronicAddress: h.a_einvoice_address,
      address: { street: h.a_street, postalCode: h.a_postal_code, city: h.a_city, countryCode: h.a_country_code },
      contact: null,
    },
    deliverTo: hasLocation
      ? { name: h.l_name, address: { street: h.l_street, postalCode: h.l_postal_code, city: h.l_city, countryCode: h.l_country_code } }
      : { name: h.a_name, address: { street: h.a_street, postalCode: h.a_postal_code, city: h.a_city, countryCode: h.a_country_code } },
    payment: {
      meansCode: h.payment_means_code,
      reference: h.payment_reference ?? h.number,
      iban: seller.iban,
      accountName: seller.party.name,
      bic: seller.bic,
    },
    lines: lines.rows.map((l) => ({
      id: String(l.line_no),
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unit_price,
      priceBaseQuantity: l.price_base_quantity,
      allowanceAmount: l.line_allowance_amount,
      allowanceReason: Number(l.line_allowance_amount) !== 0 ? (de ? "Rabatt" : "Discount") : null,
      chargeAmount: l.line_charge_amount,
      chargeReason: Number(l.line_charge_amount) !== 0 ? (de ? "Zuschlag" : "Surcharge") : null,
      netAmount: l.net_amount,
      itemName: l.description,
      sellerItemId: l.sku,
      vatCategory: l.vat_category,
      vatRate: l.vat_rate,
    })),
    allowanceCharges: acs.rows.map((a) => ({
      isCharge: a.is_charge,
      amount: a.amount,
      baseAmount: a.base_amount,
      percent: a.percent,
      reason: a.reason,
      reasonCode: a.reason_code,
      vatCategory: a.vat_category,
      vatRate: a.vat_rate,
    })),
    vatBreakdown: breakdown.rows.map((b) => ({
      category: b.vat_category,
      rate: b.vat_rate,
      taxableAmount: b.taxable_amount,
      taxAmount: b.tax_amount,
      exemptionReason: b.exemption_reason,
      exemptionReasonCode: b.exemption_reason_code,
    })),
    totals: {
      lineNet: h.line_net_total,
      allowances: h.allowance_total,
      charges: h.charge_total,
      taxExclusive: h.net_amount,
      tax: h.tax_amount,
      taxInTaxCurrency: h.tax_amount_in_tax_currency,
      taxInclusive: h.gross_amount,
      prepaid: h.prepaid_amount,
      rounding: "0.00",
      // The e-invoice states the invoice as issued: payments received later do not change it.
      due: moneySub(h.gross_amount, h.prepaid_amount),
    },
  };
  return {
    model,
    version: `${h.erp_version}.${h.updated_at.getTime()}`,
    accountId: h.account_id,
    accountNumber: h.a_number,
    language: h.a_language,
    status: h.status,
    paidAmount: h.paid_amount,
    amountDueNow: h.amount_due,
    payments: payments.rows,
    updatedAt: h.updated_at,
  };
}

function moneySub(a: string, b: string): string {
  return money(cents(a) - cents(b));
}

export interface SellerProfile {
  party: InvoiceModel["seller"];
  iban: string | null;
  bic: string | null;
  bankName: string | null;
  commercialRegister: string | null;
  managingDirectors: string | null;
  website: string | null;
  phone: string | null;
  email: string | null;
  brandColor: string;
  logoSvg: string | null;
  paymentTermsText: string | null;
  updatedAt: Date;
}

/** The supplier as seller (BG-4) plus what the documents print: bank, register, branding. */
export async function loadSeller(db: Queryable): Promise<SellerProfile> {
  const { rows } = await db.query<Record<string, string | null> & { updated_at: Date }>(`SELECT * FROM supplier_settings WHERE id = 1`);
  const s = rows[0];
  if (!s) throw new Error("supplier_settings has no row: the portal is not set up (run the seed or the setup).");
  return {
    party: {
      name: s.legal_name,
      tradeName: s.trade_name,
      vatId: s.vat_id,
      taxNumber: s.tax_number,
      legalRegistration: null,
      electronicAddress: s.electronic_address,
      address: { street: s.street, postalCode: s.postal_code, city: s.city, countryCode: s.country_code },
      contact: s.contact_name || s.phone || s.email ? { name: s.contact_name, phone: s.phone, email: s.email } : null,
    },
    iban: s.iban,
    bic: s.bic,
    bankName: s.bank_name,
    commercialRegister: s.commercial_register,
    managingDirectors: s.managing_directors,
    website: s.website,
    phone: s.phone,
    email: s.email,
    brandColor: s.brand_color ?? "#1f4e79",
    logoSvg: s.logo_svg,
    paymentTermsText: s.payment_terms_text,
    updatedAt: s.updated_at,
  };
}

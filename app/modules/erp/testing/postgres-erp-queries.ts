/**
 * Pull queries that read the demo seed's own tables as if they were an ERP's Postgres database, one
 * per entity, returning our field names with every version one higher. Pulling them back through
 * the SQL connector must change no business value: the round trip tests that every entity's schema,
 * references and computed totals agree with what the portal stores.
 */

const since = (column: string) => `(:since::text IS NULL OR ${column} >= :since::text)`;
const erpOf = (table: string, id: string) => `(SELECT erp_id FROM ${table} WHERE id = ${id})`;

export const SEED_ROUNDTRIP_QUERIES: Record<string, string> = {
  accounts: `SELECT a.erp_id AS "erpId", a.erp_version + 1 AS "erpVersion", p.erp_id AS "parentErpId", a.number, a.name, a.vat_id AS "vatId",
      a.country_code AS "countryCode", a.language, a.currency, a.buyer_reference AS "buyerReference", a.einvoice_address AS "einvoiceAddress",
      a.street, a.postal_code AS "postalCode", a.city, a.email, a.phone, a.payment_terms_days AS "paymentTermsDays",
      a.credit_limit AS "creditLimit", a.status, a.erp_id AS watermark
    FROM accounts a LEFT JOIN accounts p ON p.id = a.parent_id WHERE ${since("a.erp_id")} ORDER BY a.erp_id`,
  locations: `SELECT l.erp_id AS "erpId", l.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", l.code, l.name, l.street,
      l.postal_code AS "postalCode", l.city, l.country_code AS "countryCode", l.is_default_ship_to AS "isDefaultShipTo", l.erp_id AS watermark
    FROM locations l JOIN accounts a ON a.id = l.account_id WHERE ${since("l.erp_id")} ORDER BY l.erp_id`,
  "cost-centers": `SELECT c.erp_id AS "erpId", c.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", c.code, c.name, c.erp_id AS watermark
    FROM cost_centers c JOIN accounts a ON a.id = c.account_id WHERE ${since("c.erp_id")} ORDER BY c.erp_id`,
  contacts: `SELECT u.erp_id AS "erpId", u.erp_version + 1 AS "erpVersion", u.email, u.name, u.language, u.phone, u.job_title AS "jobTitle",
      CASE WHEN u.status = 'disabled' THEN 'disabled' ELSE 'active' END AS status,
      a.erp_id AS "memberships.accountErpId", m.role AS "memberships.role", m.include_subsidiaries AS "memberships.includeSubsidiaries",
      (SELECT string_agg(l.erp_id, '|' ORDER BY l.erp_id) FROM membership_locations ml JOIN locations l ON l.id = ml.location_id
        WHERE ml.membership_id = m.id) AS "memberships.locationErpIds",
      u.erp_id AS watermark
    FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
   WHERE u.kind = 'contact' AND u.erp_id IS NOT NULL AND ${since("u.erp_id")} ORDER BY u.erp_id, a.erp_id`,
  "sales-orders": `SELECT o.erp_id AS "erpId", o.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", ${erpOf("locations", "o.location_id")} AS "locationErpId",
      ${erpOf("cost_centers", "o.cost_center_id")} AS "costCenterErpId", ${erpOf("users", "o.buyer_user_id")} AS "buyerContactErpId",
      o.number, o.customer_reference AS "customerReference", o.buyer_name AS "buyerName", o.status, o.order_date AS "orderDate",
      o.requested_delivery_date AS "requestedDeliveryDate", o.promised_delivery_date AS "promisedDeliveryDate", o.currency,
      o.net_amount AS "netAmount", o.tax_amount AS "taxAmount", o.gross_amount AS "grossAmount", o.incoterms,
      o.shipping_address AS "shippingAddress", o.note,
      (SELECT coalesce(json_agg(json_build_object('erpId', m.erp_id, 'kind', m.kind, 'occurredAt', m.occurred_at, 'expectedAt', m.expected_at, 'note', m.note)
                ORDER BY m.erp_id), '[]') FROM order_milestones m WHERE m.sales_order_id = o.id) AS milestones,
      l.erp_id AS "lines.erpId", l.line_no AS "lines.lineNo", l.sku AS "lines.sku", l.description AS "lines.description", l.unit AS "lines.unit",
      l.quantity_ordered AS "lines.quantityOrdered", l.quantity_shipped AS "lines.quantityShipped", l.quantity_backordered AS "lines.quantityBackordered",
      l.quantity_cancelled AS "lines.quantityCancelled", l.quantity_invoiced AS "lines.quantityInvoiced", l.unit_price AS "lines.unitPrice",
      l.discount_percent AS "lines.discountPercent", l.vat_rate AS "lines.vatRate", l.net_amount AS "lines.netAmount",
      l.requested_date AS "lines.requestedDate", l.promised_date AS "lines.promisedDate", l.status AS "lines.status", o.erp_id AS watermark
    FROM sales_orders o JOIN accounts a ON a.id = o.account_id JOIN sales_order_lines l ON l.sales_order_id = o.id
   WHERE ${since("o.erp_id")} ORDER BY o.erp_id, l.line_no`,
  "order-confirmations": `SELECT c.erp_id AS "erpId", c.erp_version + 1 AS "erpVersion", o.erp_id AS "salesOrderErpId", c.number, c.issue_date AS "issueDate",
      c.currency, c.net_amount AS "netAmount", c.tax_amount AS "taxAmount", c.gross_amount AS "grossAmount",
      c.promised_delivery_date AS "promisedDeliveryDate", c.note, c.erp_id AS watermark
    FROM order_confirmations c JOIN sales_orders o ON o.id = c.sales_order_id WHERE ${since("c.erp_id")} ORDER BY c.erp_id`,
  shipments: `SELECT s.erp_id AS "erpId", s.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", ${erpOf("locations", "s.location_id")} AS "locationErpId",
      ${erpOf("sales_orders", "s.sales_order_id")} AS "salesOrderErpId", s.number, s.carrier, s.service, s.tracking_number AS "trackingNumber",
      s.tracking_url AS "trackingUrl", s.status, s.shipped_at AS "shippedAt", s.estimated_delivery_at AS "estimatedDeliveryAt",
      s.delivered_at AS "deliveredAt", s.package_count AS "packageCount", s.gross_weight_kg AS "grossWeightKg", s.ship_to AS "shipTo",
      (SELECT coalesce(json_agg(json_build_object('erpId', t.erp_id, 'occurredAt', t.occurred_at, 'statusCode', t.status_code,
                'description', t.description, 'place', t.place) ORDER BY t.erp_id), '[]') FROM tracking_events t WHERE t.shipment_id = s.id) AS "trackingEvents",
      l.erp_id AS "lines.erpId", l.line_no AS "lines.lineNo", ${erpOf("sales_order_lines", "l.sales_order_line_id")} AS "lines.salesOrderLineErpId",
      l.sku AS "lines.sku", l.description AS "lines.description", l.quantity AS "lines.quantity", l.unit AS "lines.unit", s.erp_id AS watermark
    FROM shipments s JOIN accounts a ON a.id = s.account_id JOIN shipment_lines l ON l.shipment_id = s.id
   WHERE ${since("s.erp_id")} ORDER BY s.erp_id, l.erp_id`,
  "delivery-notes": `SELECT d.erp_id AS "erpId", d.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", ${erpOf("locations", "d.location_id")} AS "locationErpId",
      ${erpOf("sales_orders", "d.sales_order_id")} AS "salesOrderErpId", ${erpOf("shipments", "d.shipment_id")} AS "shipmentErpId",
      d.number, d.issue_date AS "issueDate", d.ship_to AS "shipTo", d.note,
      l.line_no AS "lines.lineNo", ${erpOf("sales_order_lines", "l.sales_order_line_id")} AS "lines.salesOrderLineErpId", l.sku AS "lines.sku",
      l.description AS "lines.description", l.quantity_delivered AS "lines.quantityDelivered", l.quantity_backordered AS "lines.quantityBackordered",
      l.unit AS "lines.unit", d.erp_id AS watermark
    FROM delivery_notes d JOIN accounts a ON a.id = d.account_id JOIN delivery_note_lines l ON l.delivery_note_id = d.id
   WHERE ${since("d.erp_id")} ORDER BY d.erp_id, l.line_no`,
  invoices: invoiceQuery("invoice"),
  "credit-notes": invoiceQuery("credit_note"),
  quotes: `SELECT q.erp_id AS "erpId", q.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", ${erpOf("locations", "q.location_id")} AS "locationErpId",
      ${erpOf("sales_orders", "q.sales_order_id")} AS "salesOrderErpId", q.number, q.issue_date AS "issueDate", q.valid_until AS "validUntil",
      q.status, q.currency, q.net_amount AS "netAmount", q.tax_amount AS "taxAmount", q.gross_amount AS "grossAmount",
      q.customer_reference AS "customerReference", q.note,
      l.line_no AS "lines.lineNo", l.sku AS "lines.sku", l.description AS "lines.description", l.quantity AS "lines.quantity", l.unit AS "lines.unit",
      l.unit_price AS "lines.unitPrice", l.discount_percent AS "lines.discountPercent", l.vat_rate AS "lines.vatRate", l.net_amount AS "lines.netAmount",
      q.erp_id AS watermark
    FROM quotes q JOIN accounts a ON a.id = q.account_id JOIN quote_lines l ON l.quote_id = q.id
   WHERE ${since("q.erp_id")} ORDER BY q.erp_id, l.line_no`,
  statements: `SELECT s.erp_id AS "erpId", s.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", s.number, s.period_start AS "periodStart",
      s.period_end AS "periodEnd", s.opening_balance AS "openingBalance", s.closing_balance AS "closingBalance", s.currency,
      s.issue_date AS "issueDate", s.erp_id AS watermark
    FROM statements s JOIN accounts a ON a.id = s.account_id WHERE ${since("s.erp_id")} ORDER BY s.erp_id`,
  "document-files": `SELECT f.erp_id AS "erpId", f.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", ${erpOf("locations", "f.location_id")} AS "locationErpId",
      f.document_type AS "documentType",
      CASE WHEN f.document_type IN ('invoice', 'credit_note') THEN ${erpOf("invoices", "f.document_id")}
           WHEN f.document_type = 'delivery_note' THEN ${erpOf("delivery_notes", "f.document_id")}
           WHEN f.document_type = 'order_confirmation' THEN ${erpOf("order_confirmations", "f.document_id")}
           WHEN f.document_type = 'quote' THEN ${erpOf("quotes", "f.document_id")}
           WHEN f.document_type = 'statement' THEN ${erpOf("statements", "f.document_id")} END AS "documentErpId",
      ${erpOf("sales_orders", "f.sales_order_id")} AS "salesOrderErpId", f.title, f.file_name AS "fileName", f.content_type AS "contentType",
      f.byte_size AS "byteSize", f.sha256, f.issued_at AS "issuedAt", f.erp_id AS watermark
    FROM document_files f JOIN accounts a ON a.id = f.account_id WHERE ${since("f.erp_id")} ORDER BY f.erp_id`,
};

function invoiceQuery(kind: "invoice" | "credit_note"): string {
  return `SELECT i.erp_id AS "erpId", i.erp_version + 1 AS "erpVersion", a.erp_id AS "accountErpId", ${erpOf("locations", "i.location_id")} AS "locationErpId",
      ${erpOf("cost_centers", "i.cost_center_id")} AS "costCenterErpId", ${erpOf("sales_orders", "i.sales_order_id")} AS "salesOrderErpId",
      ${erpOf("invoices", "i.preceding_invoice_id")} AS "precedingInvoiceErpId", i.type_code AS "typeCode", i.number, i.issue_date AS "issueDate",
      i.due_date AS "dueDate", i.tax_point_date AS "taxPointDate", i.delivery_date AS "deliveryDate", i.service_period_start AS "servicePeriodStart",
      i.service_period_end AS "servicePeriodEnd", i.currency, i.tax_currency AS "taxCurrency", i.buyer_reference AS "buyerReference",
      i.customer_reference AS "customerReference", i.line_net_total AS "lineNetTotal", i.allowance_total AS "allowanceTotal",
      i.charge_total AS "chargeTotal", i.net_amount AS "netAmount", i.tax_amount AS "taxAmount", i.tax_amount_in_tax_currency AS "taxAmountInTaxCurrency",
      i.gross_amount AS "grossAmount", i.prepaid_amount AS "prepaidAmount", i.paid_amount AS "paidAmount", i.amount_due AS "amountDue", i.status,
      i.payment_terms AS "paymentTerms", i.payment_means_code AS "paymentMeansCode", i.payment_reference AS "paymentReference", i.note,
      (SELECT json_agg(json_build_object('vatCategory', b.vat_category, 'vatRate', b.vat_rate::text, 'taxableAmount', b.taxable_amount::text,
                'taxAmount', b.tax_amount::text, 'exemptionReason', b.exemption_reason, 'exemptionReasonCode', b.exemption_reason_code))
         FROM invoice_tax_breakdown b WHERE b.invoice_id = i.id) AS "taxBreakdown",
      (SELECT coalesce(json_agg(json_build_object('isCharge', c.is_charge, 'amount', c.amount::text, 'baseAmount', c.base_amount::text,
                'percent', c.percent::text, 'reason', c.reason, 'reasonCode', c.reason_code, 'vatCategory', c.vat_category, 'vatRate', c.vat_rate::text)
                ORDER BY c.seq), '[]') FROM invoice_allowance_charges c WHERE c.invoice_id = i.id) AS "allowanceCharges",
      (SELECT coalesce(json_agg(json_build_object('erpId', p.erp_id, 'paidAt', p.paid_at, 'amount', p.amount::text, 'currency', p.currency,
                'method', p.method, 'reference', p.reference) ORDER BY p.erp_id), '[]') FROM payments p WHERE p.invoice_id = i.id) AS payments,
      l.erp_id AS "lines.erpId", l.line_no AS "lines.lineNo", ${erpOf("sales_order_lines", "l.sales_order_line_id")} AS "lines.salesOrderLineErpId",
      l.sku AS "lines.sku", l.description AS "lines.description", l.quantity AS "lines.quantity", l.unit AS "lines.unit",
      l.unit_price AS "lines.unitPrice", l.price_base_quantity AS "lines.priceBaseQuantity", l.line_allowance_amount AS "lines.lineAllowanceAmount",
      l.line_charge_amount AS "lines.lineChargeAmount", l.net_amount AS "lines.netAmount", l.vat_category AS "lines.vatCategory",
      l.vat_rate AS "lines.vatRate", l.vat_exemption_reason AS "lines.vatExemptionReason", i.erp_id AS watermark
    FROM invoices i JOIN accounts a ON a.id = i.account_id JOIN invoice_lines l ON l.invoice_id = i.id
   WHERE i.kind = '${kind}' AND ${since("i.erp_id")} ORDER BY i.erp_id, l.line_no`;
}

/** Tables whose business values the round trip must leave exactly as they were. */
export const ROUNDTRIP_TABLES = [
  "accounts", "locations", "cost_centers", "memberships", "membership_locations", "sales_orders", "sales_order_lines", "order_milestones",
  "order_confirmations", "shipments", "shipment_lines", "tracking_events", "delivery_notes", "delivery_note_lines", "invoices", "invoice_lines",
  "invoice_tax_breakdown", "invoice_allowance_charges", "payments", "quotes", "quote_lines", "statements", "document_files",
];

import type { Db, Queryable } from "../../app/db/db.server";
import { COUNTRIES, PRODUCTS } from "./reference";

/**
 * Grows one account to `documents` documents (sales orders + order confirmations + shipments +
 * delivery notes + invoices, each with lines) for benchmarks. Set-based: a handful of
 * INSERT … SELECT over generate_series, so 100 000 documents take seconds, not minutes.
 *
 * Every added order is one "bundle" of five documents (order, confirmation, shipment, delivery note,
 * invoice) with three lines each; a remainder below five becomes open orders. The data is
 * consistent the same way the demo data is (line sums, VAT breakdown, payments, account_id and
 * location_id on every child row). Runs can be repeated: numbers continue after the last scale run.
 */

export interface ScaleOptions {
  accountNumber: string;
  /** Target total of the five document types for the account (existing ones count). */
  documents: number;
  /** 'YYYY-MM-DD'; documents are dated in the three years before it. Default: today (UTC). */
  asOf?: string;
}

export interface ScaleResult {
  accountId: string;
  before: number;
  after: number;
  added: Record<string, number>;
  millis: number;
}

const EU = new Set(["AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]);
const DOCUMENT_TABLES = ["sales_orders", "order_confirmations", "shipments", "delivery_notes", "invoices"] as const;

export async function countDocuments(db: Queryable, accountId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (${DOCUMENT_TABLES.map((t) => `(SELECT count(*) FROM ${t} WHERE account_id = $1)`).join(" + ")})::int AS n`,
    [accountId],
  );
  return Number(rows[0].n);
}

export async function scaleAccount(db: Db, options: ScaleOptions): Promise<ScaleResult> {
  const started = performance.now();
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  if (!Number.isInteger(options.documents) || options.documents < 0) throw new Error(`scaleAccount: documents must be a whole number >= 0, got ${options.documents}`);
  const result = await db.transaction(async (tx) => {
    const { rows: accounts } = await tx.query<{ id: string; number: string; country_code: string; currency: string; language: string; payment_terms_days: number }>(
      `SELECT id, number, country_code, currency, language, payment_terms_days FROM accounts WHERE number = $1 FOR UPDATE`,
      [options.accountNumber],
    );
    const account = accounts[0];
    if (!account) throw new Error(`scaleAccount: no account with number ${options.accountNumber}. Seed first (npm run db:seed) or pass --account.`);
    const { rows: locations } = await tx.query<{ id: string; address: string }>(
      `SELECT l.id, concat_ws(E'\\n', a.name, l.name, l.street, l.postal_code || ' ' || l.city, l.country_code) AS address
         FROM locations l JOIN accounts a ON a.id = l.account_id WHERE l.account_id = $1 ORDER BY l.code`,
      [account.id],
    );
    if (locations.length === 0) throw new Error(`scaleAccount: account ${account.number} has no locations`);
    const before = await countDocuments(tx, account.id);
    const toAdd = Math.max(0, options.documents - before);
    const bundles = Math.floor(toAdd / 5);
    const openOnly = toAdd % 5;
    const added: Record<string, number> = {};
    if (toAdd === 0) return { accountId: account.id, before, after: before, added };

    const { rows: prev } = await tx.query<{ n: number }>(
      `SELECT coalesce(max(substring(erp_id FROM '[0-9]+$')::int), 0) AS n FROM sales_orders WHERE erp_id LIKE $1`,
      [`SCALE-${account.number}-SO-%`],
    );
    const start = Number(prev[0].n);
    const lang = account.language === "de" ? "de" : "en";
    const fx = COUNTRIES[account.country_code]?.fx ?? 1;
    const products = PRODUCTS.filter((p) => p.kind === "goods").map((p, idx) => ({
      idx,
      sku: p.sku,
      description: p[lang],
      unit: p.unit,
      price: (Math.round(Number(p.price) * 100 * fx) / 100).toFixed(2),
    }));
    const tax =
      account.country_code === "DE"
        ? { category: "S", rate: "19.00", reason: null, code: null }
        : EU.has(account.country_code)
          ? { category: "K", rate: "0.00", reason: "Intra-community supply, exempt under Art. 138 of Directive 2006/112/EC", code: "VATEX-EU-IC" }
          : { category: "G", rate: "0.00", reason: "Export outside the EU, exempt under Art. 146 of Directive 2006/112/EC", code: "VATEX-EU-G" };
    const foreign = account.currency !== "EUR";
    const p = {
      acct: account.number,
      accountId: account.id,
      asOf,
      locIds: locations.map((l) => l.id),
      addresses: locations.map((l) => l.address),
    };

    // The orders to add, their ids and dates; g numbers them across runs.
    await tx.query(
      `CREATE TEMP TABLE scale_orders ON COMMIT DROP AS
       SELECT g,
              g <= $2::int + $3::int AS full_bundle,
              gen_random_uuid() AS id, gen_random_uuid() AS oc_id, gen_random_uuid() AS ship_id,
              gen_random_uuid() AS dn_id, gen_random_uuid() AS inv_id,
              ($5::uuid[])[1 + g % cardinality($5::uuid[])] AS location_id,
              ($6::text[])[1 + g % cardinality($6::text[])] AS address,
              CASE WHEN g <= $2::int + $3::int THEN $1::date - (30 + (g * 7919) % 1065) ELSE $1::date - (1 + g % 5) END AS order_date
         FROM generate_series($2::int + 1, $2::int + $3::int + $4::int) AS g`,
      [asOf, start, bundles, openOnly, p.locIds, p.addresses],
    );
    await tx.query(
      `CREATE TEMP TABLE scale_lines ON COMMIT DROP AS
       SELECT o.g, l.n AS line_no, gen_random_uuid() AS id, pr.sku, pr.description, pr.unit,
              (1 + (o.g * 13 + l.n * 7) % 20)::numeric(14,3) AS quantity, pr.price::numeric(14,4) AS unit_price,
              round((1 + (o.g * 13 + l.n * 7) % 20) * pr.price, 2) AS net
         FROM scale_orders o
        CROSS JOIN generate_series(1, 3) AS l(n)
         JOIN json_to_recordset($1::json) AS pr(idx int, sku text, description text, unit text, price numeric)
           ON pr.idx = (o.g * 31 + l.n * 17) % $2::int`,
      [JSON.stringify(products), products.length],
    );
    await tx.query(
      `CREATE TEMP TABLE scale_totals ON COMMIT DROP AS
       SELECT g, sum(net) AS net, round(sum(net) * $1::numeric / 100, 2) AS tax FROM scale_lines GROUP BY g`,
      [tax.rate],
    );
    for (const t of ["scale_orders", "scale_lines", "scale_totals"]) await tx.query(`ANALYZE ${t}`);

    const run = async (table: string, sql: string, params: unknown[]) => {
      const r = await tx.query(sql, params);
      added[table] = (added[table] ?? 0) + r.rowCount;
    };
    const erp = (kind: string) => `'SCALE-' || $1::text || '-${kind}-' || lpad(o.g::text, 7, '0')`;
    const num = (prefix: string) => `'${prefix}-X' || $1::text || '-' || lpad(o.g::text, 7, '0')`;
    const ts = (dateExpr: string, time: string) => `((${dateExpr})::timestamp + interval '${time}') AT TIME ZONE 'UTC'`;
    // Invoice facts of a full bundle: shipped and invoiced 10 days after the order; paid unless recent or every 12th.
    const invoiceFacts = `
      (o.order_date + 10) AS issue_date, (o.order_date + 10 + $3::int) AS due_date,
      ((o.order_date + 10 + $3::int) < $4::date - 5 AND o.g % 12 <> 0) AS paid`;

    await run(
      "sales_orders",
      `INSERT INTO sales_orders (id, erp_id, erp_version, account_id, location_id, number, customer_reference, status, order_date,
                                 promised_delivery_date, currency, net_amount, tax_amount, gross_amount, incoterms, shipping_address)
       SELECT o.id, ${erp("SO")}, 1, $2::uuid, o.location_id, ${num("SO")}, 'PO-' || o.g, CASE WHEN o.full_bundle THEN 'completed' ELSE 'open' END,
              o.order_date, o.order_date + 12, $3::text, t.net, t.tax, t.net + t.tax, 'DAP', o.address
         FROM scale_orders o JOIN scale_totals t USING (g)`,
      [p.acct, p.accountId, account.currency],
    );
    await run(
      "sales_order_lines",
      `INSERT INTO sales_order_lines (id, erp_id, erp_version, account_id, location_id, sales_order_id, line_no, sku, description, unit,
                                      quantity_ordered, quantity_shipped, quantity_invoiced, unit_price, vat_rate, net_amount, promised_date, status)
       SELECT l.id, ${erp("SO")} || '/' || lpad((l.line_no * 10)::text, 6, '0'), 1, $2::uuid, o.location_id, o.id, l.line_no, l.sku, l.description, l.unit,
              l.quantity, CASE WHEN o.full_bundle THEN l.quantity ELSE 0 END, CASE WHEN o.full_bundle THEN l.quantity ELSE 0 END,
              l.unit_price, $3::numeric, l.net, o.order_date + 12, CASE WHEN o.full_bundle THEN 'completed' ELSE 'open' END
         FROM scale_orders o JOIN scale_lines l USING (g)`,
      [p.acct, p.accountId, tax.rate],
    );
    await run(
      "order_milestones",
      `INSERT INTO order_milestones (erp_id, erp_version, account_id, location_id, sales_order_id, kind, occurred_at, expected_at)
       SELECT ${erp("SO")} || '/M' || m.n, 1, $2::uuid, o.location_id, o.id, m.kind,
              CASE WHEN o.full_bundle OR m.n = 1 THEN ${ts("o.order_date + m.days", "10 hours")} END,
              CASE WHEN NOT o.full_bundle AND m.n > 1 THEN ${ts("o.order_date + m.days", "10 hours")} END
         FROM scale_orders o
        CROSS JOIN (VALUES (1, 'received', 0), (2, 'confirmed', 1), (3, 'shipped', 10), (4, 'delivered', 12), (5, 'invoiced', 10)) AS m(n, kind, days)
        WHERE o.full_bundle OR m.n <= 4`,
      [p.acct, p.accountId],
    );
    await run(
      "order_confirmations",
      `INSERT INTO order_confirmations (id, erp_id, erp_version, account_id, location_id, sales_order_id, number, issue_date, currency,
                                        net_amount, tax_amount, gross_amount, promised_delivery_date)
       SELECT o.oc_id, ${erp("OC")}, 1, $2::uuid, o.location_id, o.id, ${num("OC")}, o.order_date + 1, $3::text, t.net, t.tax, t.net + t.tax, o.order_date + 12
         FROM scale_orders o JOIN scale_totals t USING (g) WHERE o.full_bundle`,
      [p.acct, p.accountId, account.currency],
    );
    await run(
      "shipments",
      `INSERT INTO shipments (id, erp_id, erp_version, account_id, location_id, sales_order_id, number, carrier, service, tracking_number,
                              tracking_url, status, shipped_at, estimated_delivery_at, delivered_at, package_count, gross_weight_kg, ship_to)
       SELECT o.ship_id, ${erp("SH")}, 1, $2::uuid, o.location_id, o.id, ${num("SH")}, 'DHL', 'DHL Paket', '0034' || lpad(o.g::text, 16, '0'),
              'https://www.dhl.com/de-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=0034' || lpad(o.g::text, 16, '0'),
              'delivered', ${ts("o.order_date + 10", "15 hours 30 minutes")}, ${ts("o.order_date + 12", "14 hours")},
              ${ts("o.order_date + 12", "11 hours")}, 1 + o.g % 4, (5 + o.g % 40)::numeric(10,3), o.address
         FROM scale_orders o WHERE o.full_bundle`,
      [p.acct, p.accountId],
    );
    await run(
      "shipment_lines",
      `INSERT INTO shipment_lines (erp_id, erp_version, account_id, location_id, shipment_id, sales_order_line_id, line_no, sku, description, quantity, unit)
       SELECT ${erp("SH")} || '/' || lpad((l.line_no * 10)::text, 6, '0'), 1, $2::uuid, o.location_id, o.ship_id, l.id, l.line_no, l.sku, l.description, l.quantity, l.unit
         FROM scale_orders o JOIN scale_lines l USING (g) WHERE o.full_bundle`,
      [p.acct, p.accountId],
    );
    await run(
      "delivery_notes",
      `INSERT INTO delivery_notes (id, erp_id, erp_version, account_id, location_id, sales_order_id, shipment_id, number, issue_date, ship_to)
       SELECT o.dn_id, ${erp("DN")}, 1, $2::uuid, o.location_id, o.id, o.ship_id, ${num("DN")}, o.order_date + 10, o.address
         FROM scale_orders o WHERE o.full_bundle`,
      [p.acct, p.accountId],
    );
    await run(
      "delivery_note_lines",
      `INSERT INTO delivery_note_lines (account_id, location_id, delivery_note_id, line_no, sales_order_line_id, sku, description, quantity_delivered, unit)
       SELECT $1::uuid, o.location_id, o.dn_id, l.line_no, l.id, l.sku, l.description, l.quantity, l.unit
         FROM scale_orders o JOIN scale_lines l USING (g) WHERE o.full_bundle`,
      [p.accountId],
    );
    await run(
      "invoices",
      `INSERT INTO invoices (id, erp_id, erp_version, account_id, location_id, sales_order_id, kind, type_code, number, issue_date, due_date,
                             delivery_date, currency, tax_currency, customer_reference, line_net_total, net_amount, tax_amount,
                             tax_amount_in_tax_currency, gross_amount, paid_amount, amount_due, status, payment_terms, payment_means_code,
                             payment_reference)
       SELECT o.inv_id, ${erp("INV")}, 1, $2::uuid, o.location_id, o.id, 'invoice', '380', ${num("INV")}, f.issue_date, f.due_date,
              f.issue_date, $5::text, $6::text, 'PO-' || o.g, t.net, t.net, t.tax, CASE WHEN $6::text IS NOT NULL THEN 0 END, t.net + t.tax,
              CASE WHEN f.paid THEN t.net + t.tax ELSE 0 END, CASE WHEN f.paid THEN 0 ELSE t.net + t.tax END,
              CASE WHEN f.paid THEN 'paid' ELSE 'open' END, 'Payable by ' || f.due_date || ' without deduction.',
              CASE WHEN $6::text IS NOT NULL THEN '30' ELSE '58' END, ${num("INV")}
         FROM scale_orders o JOIN scale_totals t USING (g), LATERAL (SELECT ${invoiceFacts}) f
        WHERE o.full_bundle`,
      [p.acct, p.accountId, account.payment_terms_days, asOf, account.currency, foreign ? "EUR" : null],
    );
    await run(
      "invoice_lines",
      `INSERT INTO invoice_lines (erp_id, erp_version, account_id, location_id, invoice_id, line_no, sales_order_line_id, sku, description,
                                  quantity, unit, unit_price, net_amount, vat_category, vat_rate, vat_exemption_reason)
       SELECT ${erp("INV")} || '/' || lpad((l.line_no * 10)::text, 6, '0'), 1, $2::uuid, o.location_id, o.inv_id, l.line_no, l.id, l.sku, l.description,
              l.quantity, l.unit, l.unit_price, l.net, $3::text, $4::numeric, $5::text
         FROM scale_orders o JOIN scale_lines l USING (g) WHERE o.full_bundle`,
      [p.acct, p.accountId, tax.category, tax.rate, tax.reason],
    );
    await run(
      "invoice_tax_breakdown",
      `INSERT INTO invoice_tax_breakdown (account_id, location_id, invoice_id, vat_category, vat_rate, taxable_amount, tax_amount,
                                          exemption_reason, exemption_reason_code)
       SELECT $1::uuid, o.location_id, o.inv_id, $2::text, $3::numeric, t.net, t.tax, $4::text, $5::text
         FROM scale_orders o JOIN scale_totals t USING (g) WHERE o.full_bundle`,
      [p.accountId, tax.category, tax.rate, tax.reason, tax.code],
    );
    await run(
      "payments",
      `INSERT INTO payments (erp_id, erp_version, account_id, location_id, invoice_id, paid_at, amount, currency, method, reference)
       SELECT ${erp("ZA")}, 1, $2::uuid, o.location_id, o.inv_id, f.due_date - (o.g % 7), t.net + t.tax, $5::text,
              CASE WHEN $5::text = 'EUR' THEN 'sepa_credit_transfer' ELSE 'credit_transfer' END, ${num("INV")}
         FROM scale_orders o JOIN scale_totals t USING (g), LATERAL (SELECT ${invoiceFacts}) f
        WHERE o.full_bundle AND f.paid`,
      [p.acct, p.accountId, account.payment_terms_days, asOf, account.currency],
    );
    const after = await countDocuments(tx, account.id);
    return { accountId: account.id, before, after, added };
  });
  // Fresh statistics so benchmarks see the plans a production database would use.
  for (const table of [...DOCUMENT_TABLES, "sales_order_lines", "order_milestones", "shipment_lines", "delivery_note_lines", "invoice_lines", "invoice_tax_breakdown", "payments"]) {
    await db.query(`ANALYZE ${table}`);
  }
  return { ...result, millis: Math.round(performance.now() - started) };
}

import { money } from "../money";
import type { GeneratorContext } from "./context";
import type { Acc } from "./domain";
import { sha256 } from "./text";

/** Monthly statements of account, and the document files (statement PDFs, data sheets) that go with them. */

export function addStatements(ctx: GeneratorContext, acc: Acc) {
  if (!acc.spec.statements) return;
  const balance = (day: number) => {
    let b = 0;
    for (const inv of acc.invoices) {
      if (inv.day <= day) b += inv.kind === "invoice" ? inv.gross - inv.prepaid : -inv.gross;
      for (const p of inv.payments) if (p.day <= day) b += inv.kind === "invoice" ? -p.amount : p.amount;
    }
    return b;
  };
  for (let back = 3; back >= 1; back--) {
    const m = ctx.cal.month(back);
    const issueDay = ctx.cal.fwd(m.end + 1);
    if (issueDay > -1) continue;
    const id = acc.rng.uuid();
    const number = `ST-${m.label.replace("-", "")}-${acc.number}`;
    ctx.tables.statements.push({
      id,
      erp_id: `KA-${acc.number}-${m.label}`,
      erp_version: 1,
      account_id: acc.id,
      number,
      period_start: ctx.cal.date(m.start),
      period_end: ctx.cal.date(m.end),
      opening_balance: money(balance(m.start - 1)),
      closing_balance: money(balance(m.end)),
      currency: acc.country.currency,
      issue_date: ctx.cal.date(issueDay),
    });
    ctx.tables.document_files.push({
      id: acc.rng.uuid(),
      erp_id: `DMS-KA-${acc.number}-${m.label}`,
      erp_version: 1,
      account_id: acc.id,
      location_id: null,
      document_type: "statement",
      document_id: id,
      sales_order_id: null,
      title: acc.lang === "de" ? `Kontoauszug ${m.label}` : `Statement of account ${m.label}`,
      file_name: `${number}.pdf`,
      content_type: "application/pdf",
      byte_size: acc.rng.int(40_000, 160_000),
      sha256: sha256(`statement:${acc.number}:${m.label}`),
      issued_at: ctx.cal.at(issueDay, 6 * 60),
    });
  }
}

export function addDataSheets(ctx: GeneratorContext, acc: Acc) {
  const { rng } = acc;
  const products = rng.sample(acc.pool.filter((p) => p.kind === "goods"), rng.int(1, 4));
  for (const product of products) {
    ctx.tables.document_files.push({
      id: rng.uuid(),
      erp_id: `DMS-DS-${acc.number}-${product.sku}`,
      erp_version: 1,
      account_id: acc.id,
      location_id: null,
      document_type: "data_sheet",
      document_id: null,
      sales_order_id: null,
      title: acc.lang === "de" ? `Datenblatt ${product.de}` : `Data sheet ${product.en}`,
      file_name: `${product.sku}_datasheet_${acc.lang}.pdf`,
      content_type: "application/pdf",
      byte_size: rng.int(180_000, 2_400_000),
      // Same product and language, same file: the blob store keeps it once.
      sha256: sha256(`datasheet:${product.sku}:${acc.lang}`),
      issued_at: ctx.cal.at(-rng.int(200, 700), 10 * 60),
    });
  }
}

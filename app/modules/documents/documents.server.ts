import { getDb } from "~/db/connection.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { LIST_LIMIT } from "~/modules/lists";

export interface DocumentRow {
  id: string;
  type: "invoice" | "credit_note" | "delivery_note" | "order_confirmation" | "quote" | "file";
  number: string;
  issueDate: string;
  orderId: string | null;
  orderNumber: string | null;
}

/** Every document type of the scope in one list, newest first; `orderId` keeps one order's. */
export async function listDocuments(scope: Scope, filters: { q?: string; limit?: number; orderId?: string } = {}): Promise<DocumentRow[]> {
  const db = await getDb();
  const f = (alias: string) => scopeFilter(scope, alias, 1).sql;
  const params: unknown[] = scopeFilter(scope, "x", 1).params;
  const q = filters.q ? `%${filters.q}%` : null;
  // Invoices, credit notes and statements (also as ERP files) are finance documents.
  const seesMoney = contactCan(scope.role, "invoices.read") ? "true" : "false";
  params.push(filters.orderId ?? null, q, filters.limit ?? LIST_LIMIT);
  const op = `$${params.length - 2}`;
  const qp = `$${params.length - 1}`;
  const { rows } = await db.query<DocumentRow>(
    `SELECT * FROM (
       SELECT i.id, i.kind AS type, i.number, i.issue_date AS "issueDate", i.sales_order_id AS "orderId" FROM invoices i
        WHERE ${f("i")} AND ${seesMoney}
       UNION ALL
       SELECT d.id, 'delivery_note', d.number, d.issue_date, d.sales_order_id FROM delivery_notes d WHERE ${f("d")}
       UNION ALL
       SELECT c.id, 'order_confirmation', c.number, c.issue_date, c.sales_order_id FROM order_confirmations c WHERE ${f("c")}
       UNION ALL
       SELECT q.id, 'quote', q.number, q.issue_date, q.sales_order_id FROM quotes q WHERE ${f("q")}
       UNION ALL
       SELECT df.id, 'file', df.title, df.issued_at::date, df.sales_order_id FROM document_files df
        WHERE ${f("df")} AND (${seesMoney} OR df.document_type NOT IN ('invoice','credit_note','statement'))
     ) docs
     LEFT JOIN LATERAL (SELECT number AS "orderNumber" FROM sales_orders WHERE id = docs."orderId") o ON true
     WHERE (${op}::uuid IS NULL OR docs."orderId" = ${op}::uuid)
       AND (${qp}::text IS NULL OR docs.number ILIKE ${qp} OR o."orderNumber" ILIKE ${qp})
     ORDER BY docs."issueDate" DESC NULLS LAST, docs.number DESC, docs.id
     LIMIT $${params.length}`,
    params,
  );
  return rows;
}

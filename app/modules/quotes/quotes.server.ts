import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";

export interface QuoteRow {
  id: string;
  number: string;
  issueDate: string;
  validUntil: string | null;
  status: string;
  currency: string;
  grossAmount: string;
  customerReference: string | null;
}

export async function listQuotes(scope: Scope, filters: { q?: string; limit?: number } = {}): Promise<QuoteRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "q", 1);
  const params = [...where.params];
  let sql = `SELECT q.id, q.number, q.issue_date AS "issueDate", q.valid_until AS "validUntil", q.status, q.currency,
                    q.gross_amount AS "grossAmount", q.customer_reference AS "customerReference"
               FROM quotes q WHERE ${where.sql}`;
  if (filters.q) {
    params.push(`%${filters.q}%`);
    sql += ` AND (q.number ILIKE $${params.length} OR q.customer_reference ILIKE $${params.length})`;
  }
  params.push(filters.limit ?? 500);
  sql += ` ORDER BY q.issue_date DESC, q.number DESC LIMIT $${params.length}`;
  return (await db.query<QuoteRow>(sql, params)).rows;
}

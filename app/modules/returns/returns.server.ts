import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";

export interface ReturnRequestRow {
  id: string;
  number: string;
  reason: string;
  status: string;
  createdAt: Date;
  orderId: string | null;
  orderNumber: string | null;
}

export async function listReturnRequests(scope: Scope): Promise<ReturnRequestRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "r", 1);
  const { rows } = await db.query<ReturnRequestRow>(
    `SELECT r.id, r.number, r.reason, r.status, r.created_at AS "createdAt", o.id AS "orderId", o.number AS "orderNumber"
       FROM return_requests r LEFT JOIN sales_orders o ON o.id = r.sales_order_id
      WHERE ${where.sql} ORDER BY r.created_at DESC LIMIT 500`,
    where.params,
  );
  return rows;
}

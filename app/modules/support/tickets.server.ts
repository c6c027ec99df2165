import { getDb } from "~/db/connection.server";
import { LIST_LIMIT } from "~/modules/lists";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";

export interface TicketRow {
  id: string;
  number: string;
  subject: string;
  category: string;
  priority: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The scope's tickets, last changed first; `orderId` keeps those about one order. */
export async function listTickets(scope: Scope, filters: { orderId?: string } = {}): Promise<TicketRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "t", 2);
  const { rows } = await db.query<TicketRow>(
    `SELECT t.id, t.number, t.subject, t.category, t.priority, t.status, t.created_at AS "createdAt", t.updated_at AS "updatedAt"
       FROM support_tickets t
      WHERE ($1::uuid IS NULL OR (t.related_entity_type = 'sales_order' AND t.related_entity_id = $1::uuid)) AND ${where.sql}
      ORDER BY t.updated_at DESC, t.number DESC LIMIT ${LIST_LIMIT}`,
    [filters.orderId ?? null, ...where.params],
  );
  return rows;
}

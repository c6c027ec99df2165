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

export async function listTickets(scope: Scope): Promise<TicketRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "t", 1);
  const { rows } = await db.query<TicketRow>(
    `SELECT t.id, t.number, t.subject, t.category, t.priority, t.status, t.created_at AS "createdAt", t.updated_at AS "updatedAt"
       FROM support_tickets t WHERE ${where.sql} ORDER BY t.updated_at DESC, t.number DESC LIMIT ${LIST_LIMIT}`,
    where.params,
  );
  return rows;
}

import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { LIST_LIMIT } from "~/modules/lists";

export interface ShipmentRow {
  id: string;
  number: string;
  carrier: string;
  trackingNumber: string | null;
  trackingUrl: string | null;
  status: string;
  shippedAt: Date | null;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  orderId: string | null;
  orderNumber: string | null;
}

export async function listShipments(scope: Scope, filters: { q?: string; limit?: number } = {}): Promise<ShipmentRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "s", 1);
  const params = [...where.params];
  let sql = `SELECT s.id, s.number, s.carrier, s.tracking_number AS "trackingNumber", s.tracking_url AS "trackingUrl", s.status,
                    s.shipped_at AS "shippedAt", s.estimated_delivery_at AS "estimatedDeliveryAt", s.delivered_at AS "deliveredAt",
                    o.id AS "orderId", o.number AS "orderNumber"
               FROM shipments s LEFT JOIN sales_orders o ON o.id = s.sales_order_id
              WHERE ${where.sql}`;
  if (filters.q) {
    params.push(`%${filters.q}%`);
    sql += ` AND (s.number ILIKE $${params.length} OR s.tracking_number ILIKE $${params.length} OR o.number ILIKE $${params.length})`;
  }
  params.push(filters.limit ?? LIST_LIMIT);
  sql += ` ORDER BY s.shipped_at DESC NULLS FIRST, s.number DESC LIMIT $${params.length}`;
  return (await db.query<ShipmentRow>(sql, params)).rows;
}

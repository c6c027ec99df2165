import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { isUuid } from "~/modules/ids";

export interface ShipmentDetail {
  id: string;
  number: string;
  carrier: string;
  service: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  status: string;
  shippedAt: Date | null;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  packageCount: number | null;
  grossWeightKg: string | null;
  shipTo: string | null;
  locationName: string | null;
  order: { id: string; number: string; customerReference: string | null } | null;
  deliveryNotes: { id: string; number: string; issueDate: string }[];
  lines: { lineNo: number | null; sku: string | null; description: string; quantity: string; unit: string; ordered: string | null }[];
  trackingEvents: { occurredAt: Date; statusCode: string | null; description: string; place: string | null }[];
  /** Whether this shipment delivers the whole order or part of it (partial deliveries). */
  partOfOrder: { index: number; of: number } | null;
}

/** The shipment with its lines and tracking timeline if it is in scope; null otherwise (404). */
export async function getShipment(scope: Scope, shipmentId: string): Promise<ShipmentDetail | null> {
  if (!isUuid(shipmentId)) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "s", 2);
  const { rows } = await db.query<Omit<ShipmentDetail, "order" | "deliveryNotes" | "lines" | "trackingEvents" | "partOfOrder"> & {
    orderId: string | null;
    orderNumber: string | null;
    customerReference: string | null;
  }>(
    `SELECT s.id, s.number, s.carrier, s.service, s.tracking_number AS "trackingNumber", s.tracking_url AS "trackingUrl", s.status,
            s.shipped_at AS "shippedAt", s.estimated_delivery_at AS "estimatedDeliveryAt", s.delivered_at AS "deliveredAt",
            s.package_count AS "packageCount", s.gross_weight_kg::text AS "grossWeightKg", s.ship_to AS "shipTo", l.name AS "locationName",
            o.id AS "orderId", o.number AS "orderNumber", o.customer_reference AS "customerReference"
       FROM shipments s LEFT JOIN locations l ON l.id = s.location_id LEFT JOIN sales_orders o ON o.id = s.sales_order_id
      WHERE s.id = $1 AND ${where.sql}`,
    [shipmentId, ...where.params],
  );
  const row = rows[0];
  if (!row) return null;
  const [lines, events, notes, siblings] = await Promise.all([
    db.query<ShipmentDetail["lines"][number]>(
      `SELECT sl.line_no AS "lineNo", sl.sku, sl.description, sl.quantity::text AS quantity, sl.unit, ol.quantity_ordered::text AS ordered
         FROM shipment_lines sl LEFT JOIN sales_order_lines ol ON ol.id = sl.sales_order_line_id
        WHERE sl.shipment_id = $1 ORDER BY sl.line_no NULLS LAST, sl.sku`,
      [shipmentId],
    ),
    db.query<ShipmentDetail["trackingEvents"][number]>(
      `SELECT occurred_at AS "occurredAt", status_code AS "statusCode", description, place
         FROM tracking_events WHERE shipment_id = $1 ORDER BY occurred_at DESC`,
      [shipmentId],
    ),
    db.query<ShipmentDetail["deliveryNotes"][number]>(
      `SELECT id, number, issue_date AS "issueDate" FROM delivery_notes WHERE shipment_id = $1 ORDER BY issue_date`,
      [shipmentId],
    ),
    row.orderId
      ? db.query<{ id: string }>(`SELECT id FROM shipments WHERE sales_order_id = $1 ORDER BY shipped_at NULLS LAST, number`, [row.orderId])
      : Promise.resolve({ rows: [] as { id: string }[], rowCount: 0 }),
  ]);
  const { orderId, orderNumber, customerReference, ...shipment } = row;
  const index = siblings.rows.findIndex((s) => s.id === shipmentId);
  return {
    ...shipment,
    order: orderId && orderNumber ? { id: orderId, number: orderNumber, customerReference } : null,
    deliveryNotes: notes.rows,
    lines: lines.rows,
    trackingEvents: events.rows,
    partOfOrder: siblings.rows.length > 1 && index >= 0 ? { index: index + 1, of: siblings.rows.length } : null,
  };
}

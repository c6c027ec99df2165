import { getDb } from "~/db/connection.server";

/**
 * For tests: a line of a shipped order with at least one piece delivered and no return request on
 * its order yet, of one account (by number) or one location (by code).
 */
export async function unreturnedShippedLine(where: { accountNumber: string } | { locationCode: string }): Promise<{ orderId: string; lineId: string }> {
  const byAccount = "accountNumber" in where;
  const { rows } = await (await getDb()).query<{ orderId: string; lineId: string }>(
    `SELECT o.id AS "orderId", l.id AS "lineId" FROM sales_orders o JOIN accounts a ON a.id = o.account_id LEFT JOIN locations loc ON loc.id = o.location_id
       JOIN sales_order_lines l ON l.sales_order_id = o.id
      WHERE ${byAccount ? "a.number" : "loc.code"} = $1 AND o.status IN ('shipped', 'completed') AND l.quantity_shipped >= 1
        AND NOT EXISTS (SELECT 1 FROM return_requests r WHERE r.sales_order_id = o.id) LIMIT 1`,
    [byAccount ? where.accountNumber : where.locationCode],
  );
  if (!rows[0]) throw new Error(`no unreturned shipped order line for ${JSON.stringify(where)}`);
  return rows[0];
}

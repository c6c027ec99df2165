import { randomUUID } from "node:crypto";
import { ShapeStream, type Row, type ShapeStreamOptions } from "@electric-sql/client";
import type { Queryable } from "~/db/db.server";
import { buildScope, type Scope } from "~/modules/access/scope.server";
import { findShape, shapeConditions } from "../../shapes/registry";
import { requestDefinition, type ShapeRequestDefinition } from "../shape-definition.server";
import { TEXT_PARSER } from "./shape-collector";

export interface AccountFixture {
  id: string;
  locationIds: string[];
}

export async function account(db: Queryable, number: string): Promise<AccountFixture> {
  const { rows } = await db.query<{ id: string; locationIds: string[] }>(
    `SELECT a.id, array_agg(l.id ORDER BY l.code) AS "locationIds"
       FROM accounts a JOIN locations l ON l.account_id = a.id WHERE a.number = $1 GROUP BY a.id`,
    [number],
  );
  if (!rows[0]) throw new Error(`no account ${number} with locations in the test database`);
  return rows[0];
}

/** A sales order of the test's own, so tests never depend on how many the seed made. */
export async function insertOrder(
  db: { query(text: string, params?: unknown[]): Promise<unknown> }, // a Db or a bare pg.Client in a transaction
  values: { accountId: string; locationId: string | null; net?: string; status?: string },
): Promise<string> {
  const id = randomUUID();
  const net = values.net ?? "100.00";
  await db.query(
    `INSERT INTO sales_orders (id, erp_id, account_id, location_id, number, status, order_date, currency, net_amount, tax_amount, gross_amount)
     VALUES ($1, $2, $3, $4, $5, $6, '2026-01-15', 'EUR', $7::numeric, round($7::numeric * 0.19, 2), $7::numeric + round($7::numeric * 0.19, 2))`,
    [id, `test-${id}`, values.accountId, values.locationId, `T-${id.slice(0, 8)}`, values.status ?? "open", net],
  );
  return id;
}

export function scopeOf(accountIds: string[], locationIds: string[] | null): Pick<Scope, "accountIds" | "locationIds"> {
  return { accountIds, locationIds };
}

export function ordersDefinition(scope: Pick<Scope, "accountIds" | "locationIds">, name = "orders"): ShapeRequestDefinition {
  const shape = findShape(name);
  if (!shape) throw new Error(`no shape ${name}`);
  return requestDefinition(shape, shapeConditions(shape, scope));
}

/** The scope the portal builds for a demo contact acting for `accountNumber`. */
export async function contactScope(db: Queryable, email: string, accountNumber: string): Promise<Scope> {
  const { rows } = await db.query<{ id: string; language: "en" | "de"; accountId: string }>(
    `SELECT u.id, u.language, a.id AS "accountId" FROM users u, accounts a WHERE u.email = $1 AND a.number = $2`,
    [email, accountNumber],
  );
  const scope = rows[0] ? await buildScope(db, rows[0], rows[0].accountId) : null;
  if (!scope) throw new Error(`${email} has no membership in ${accountNumber}`);
  return scope;
}

/** A real client stream with fast retries (the default backoff starts at 1 s, which only slows tests). */
export function openStream(
  url: string,
  params: ShapeStreamOptions["params"] = {},
  signal?: AbortSignal,
  headers?: Record<string, string>,
  options: { liveSse?: boolean; fetchClient?: typeof fetch } = {},
) {
  return new ShapeStream<Row>({
    url,
    params,
    headers,
    signal,
    parser: TEXT_PARSER,
    backoffOptions: { initialDelay: 50, maxDelay: 500, multiplier: 2 },
    ...options,
  });
}

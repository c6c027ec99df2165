import { ELECTRIC_PROTOCOL_QUERY_PARAMS } from "@electric-sql/client";
import { conditionsToWhere, type ShapeCondition, type ShapeDefinition } from "../shapes/registry";

export interface ElectricTarget {
  /** Base URL of the Electric sync service, e.g. http://electric:3000 */
  electricUrl: string;
  secret?: string;
  shape: ShapeDefinition;
  conditions: readonly ShapeCondition[];
}

/**
 * Electric's auth-proxy pattern (ELECTRIC-PROTOCOL.md §2): only the protocol parameters come from
 * the browser; table, where + params and columns are set here from the registry and the session,
 * the secret never leaves the server. The upstream status, headers and body pass through unbuffered
 * (409 with its handle, 400, 429/503 with retry-after, SSE streams).
 */
export async function proxyToElectric(request: Request, target: ElectricTarget): Promise<Response> {
  const incoming = new URL(request.url);
  const upstream = new URL(`${target.electricUrl.replace(/\/+$/, "")}/v1/shape`);
  for (const [name, value] of incoming.searchParams) {
    if (ELECTRIC_PROTOCOL_QUERY_PARAMS.includes(name)) upstream.searchParams.append(name, value);
  }
  upstream.searchParams.set("table", target.shape.table);
  const { where, params } = electricWhere(target.conditions);
  upstream.searchParams.set("where", where);
  for (const [position, value] of Object.entries(params)) upstream.searchParams.set(`params[${position}]`, value);
  upstream.searchParams.set("columns", target.shape.columns.map((c) => `"${c}"`).join(","));
  if (target.secret) upstream.searchParams.set("secret", target.secret);

  const accept = request.headers.get("accept");
  const response = await fetch(upstream, {
    signal: request.signal,
    headers: accept ? { accept } : undefined,
  });
  const headers = new Headers(response.headers);
  // fetch() has already decoded the body; the original encoding and length no longer describe it.
  headers.delete("content-encoding");
  headers.delete("content-length");
  headers.append("vary", "cookie");
  // Electric marks responses public (they are immutable per handle and offset), but these are one
  // account's rows fetched with its cookie: browsers may cache them, shared caches must not.
  const cacheControl = headers.get("cache-control");
  if (cacheControl) headers.set("cache-control", cacheControl.replace(/\bpublic\b/, "private"));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * conditionsToWhere() from the registry, except that a condition without values (a shape the role
 * may not read, see gateway.server.ts) becomes a filter nothing passes: `IN ()` is not valid SQL.
 */
export function electricWhere(conditions: readonly ShapeCondition[]): { where: string; params: Record<string, string> } {
  const empty = conditions.find((condition) => condition.values.length === 0);
  if (empty) return { where: `"${empty.column}" IS NULL AND "${empty.column}" IS NOT NULL`, params: {} };
  return conditionsToWhere(conditions);
}

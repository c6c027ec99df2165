import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { createRequestHandler } from "@remix-run/node";
import { getDb } from "~/db/connection.server";
import { createApiKey } from "~/modules/erp/api/keys.server";
import { loadBuild } from "./portal";

/**
 * The ERP API through the production build, in-process: JSON and multipart requests with an API key,
 * and a validator for requests and responses built from the served OpenAPI document.
 */

const ORIGIN = "http://portal.test";
type Handler = (request: Request, context: { clientIp: string }) => Promise<Response>;
let handler: Handler | undefined;

export interface ApiRequest {
  method?: string;
  key?: string | null;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export async function apiRequest(pathname: string, options: ApiRequest = {}): Promise<Response> {
  handler ??= createRequestHandler(await loadBuild(), "production") as unknown as Handler;
  const headers = new Headers(options.headers);
  if (options.key) headers.set("Authorization", `Bearer ${options.key}`);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set("Content-Type", "application/json");
  }
  const method = options.method ?? (body !== undefined ? "POST" : "GET");
  return handler(new Request(`${ORIGIN}${pathname}`, { method, headers, body, redirect: "manual" }), { clientIp: "10.0.0.9" });
}

/** Creates a key as the demo staff admin would, straight through the module. */
export async function createTestApiKey(scopes: string[] = ["erp:write"], rateLimitPerMinute = 1_000_000, name = "test key"): Promise<{ id: string; key: string }> {
  const db = await getDb();
  const admin = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@brandt-soehne.example'`);
  return createApiKey(db, { userId: admin.rows[0].id, ip: null, userAgent: null }, { name: `${name} ${Math.random().toString(36).slice(2, 8)}`, scopes, rateLimitPerMinute });
}

export interface OpenApiValidator {
  document: Record<string, unknown>;
  /** Errors of a JSON request body for POST `path` (e.g. "/invoices"); [] when valid. */
  request(path: string, body: unknown): string[];
  /** Errors of a response body for POST `path` with `status`; [] when valid. */
  response(path: string, status: number, body: unknown): string[];
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** Fetches /api/erp/v1/openapi.json and compiles validators from it. */
export async function loadOpenApiValidator(): Promise<OpenApiValidator> {
  const response = await apiRequest("/api/erp/v1/openapi.json");
  if (response.status !== 200) throw new Error(`openapi.json answered ${response.status}`);
  const document = (await response.json()) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document, "openapi.json");
  const compiled = new Map<string, ValidateFunction>();
  const validate = (ref: string, value: unknown): string[] => {
    let fn = compiled.get(ref);
    if (!fn) {
      fn = ajv.compile({ $ref: `openapi.json#/${ref}` });
      compiled.set(ref, fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
  };
  return {
    document,
    request: (path, body) => validate(pointer("paths", path, "post", "requestBody", "content", "application/json", "schema"), body),
    response: (path, status, body) => validate(pointer("paths", path, "post", "responses", String(status), "content", "application/json", "schema"), body),
  };
}

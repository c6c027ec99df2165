import { getDb } from "~/db/connection.server";
import { ENTITY_NAMES, findEntity } from "../entities/registry";
import { batchResponse, runApiBatch, type Operation } from "./batch.server";
import { BodyTooLargeError, LIMITS, jsonError, readLimitedBody, takeRateBudget } from "./http.server";
import { apiKeyOf, checkApiKey, keyAllows, type AuthenticatedKey } from "./keys.server";
import { uploadDocumentFile } from "./upload.server";

/**
 * POST /api/erp/v1/:entity (upsert) and POST /api/erp/v1/:entity/delete: the key first (401), then
 * what it may do (403), its rate (429), the body's size (413) and shape (400), then the batch. A
 * processed batch answers 200 with one result per record, whatever each record's fate.
 */

async function authenticate(request: Request): Promise<AuthenticatedKey | Response> {
  const db = await getDb();
  const check = await checkApiKey(db, apiKeyOf(request));
  return check.ok ? check.key : jsonError(401, check.code, check.message);
}

async function readBatch(request: Request): Promise<unknown[] | Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    return jsonError(415, "unsupported_media_type", "Send the batch as Content-Type: application/json ({\"records\": [...]}).");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await readLimitedBody(request, LIMITS.maxBodyBytes));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return jsonError(413, "payload_too_large", `The body is larger than ${LIMITS.maxBodyBytes} bytes: send smaller batches.`);
    return jsonError(400, "invalid_json", "The body is not UTF-8 text.");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return jsonError(400, "invalid_json", `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return jsonError(400, "invalid_request", 'The body must be an object: {"records": [...]}.', { field: "records" });
  }
  const records = (body as { records?: unknown }).records;
  if (!Array.isArray(records)) return jsonError(400, "invalid_request", "records must be a list of records.", { field: "records" });
  const unknownKeys = Object.keys(body).filter((k) => k !== "records");
  if (unknownKeys.length > 0) return jsonError(400, "invalid_request", `${unknownKeys[0]} is not a field of the batch (only records).`, { field: unknownKeys[0] });
  if (records.length === 0) return jsonError(400, "invalid_request", "records must not be empty.", { field: "records" });
  if (records.length > LIMITS.maxRecords) {
    return jsonError(413, "too_many_records", `A batch takes at most ${LIMITS.maxRecords} records; this one has ${records.length}.`, { field: "records" });
  }
  return records;
}

export async function serveErpApi(request: Request, entityName: string | undefined, operation: Operation): Promise<Response> {
  const key = await authenticate(request);
  if (key instanceof Response) return key;
  if (request.method !== "POST") {
    return jsonError(405, "method_not_allowed", `Use POST (${operation === "delete" ? "delete by ERP id" : "upsert a batch"}).`, { headers: { Allow: "POST" } });
  }
  const def = findEntity(entityName ?? "");
  if (!def) return jsonError(404, "unknown_entity", `No entity "${entityName}". Entities: ${ENTITY_NAMES.join(", ")}.`);
  if (!keyAllows(key.scopes, def.name)) {
    return jsonError(403, "forbidden", `The API key "${key.name}" may not write ${def.name} (its scopes: ${key.scopes.join(", ") || "none"}).`);
  }
  const wait = await takeRateBudget(key.id, key.rateLimitPerMinute);
  if (wait !== null) {
    return jsonError(429, "rate_limited", `The API key "${key.name}" allows ${key.rateLimitPerMinute} requests per minute; retry in ${wait} s.`, {
      headers: { "Retry-After": String(wait) },
    });
  }
  if (operation === "upsert" && def.name === "document-files" && /^multipart\/form-data/i.test(request.headers.get("content-type") ?? "")) {
    return uploadDocumentFile(request, key, def);
  }
  const records = await readBatch(request);
  if (records instanceof Response) return records;
  const { runId, outcome } = await runApiBatch(key, def, operation, records.map((value) => ({ value })));
  return batchResponse(runId, outcome);
}

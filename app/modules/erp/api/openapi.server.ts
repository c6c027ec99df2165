import { z } from "zod";
import { ENTITIES } from "../entities/registry";
import { DeleteRecordSchema } from "../ingest/delete.server";
import { DocumentFileUploadShape } from "../schemas/documents";
import { LIMITS } from "./http.server";

/**
 * The OpenAPI 3.1 document of /api/erp/v1, generated from the same zod schemas that validate the
 * requests (z.toJSONSchema; OpenAPI 3.1 schemas are JSON Schema 2020-12). Tests validate requests
 * and responses against the served document, so it cannot drift from the code.
 */

const FieldErrorSchema = z.object({ path: z.string(), message: z.string() }).meta({ description: "What is wrong with one field" });

const RecordResultSchema = z.object({
  index: z.number().int().meta({ description: "Position of the record in the batch" }),
  erpId: z.string().nullable(),
  status: z.enum(["accepted", "unchanged", "rejected"]),
  action: z.enum(["inserted", "updated", "deleted"]).optional(),
  reason: z.string().optional().meta({ description: "Why an unchanged record changed nothing" }),
  errors: z.array(FieldErrorSchema).optional(),
  rejectedRecordId: z.uuid().optional().meta({ description: "The dead-letter entry staff can fix and replay" }),
  line: z.number().int().optional(),
});

const CountsSchema = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  deleted: z.number().int(),
});

const BatchResponseSchema = z.object({ runId: z.uuid(), counts: CountsSchema, results: z.array(RecordResultSchema) });

const ErrorSchema = z.object({
  error: z.object({
    code: z.string().meta({ description: "missing_api_key, revoked_api_key, forbidden, payload_too_large, too_many_records, rate_limited, …" }),
    message: z.string(),
    field: z.string().optional(),
  }),
});

function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input"): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any", reused: "inline" }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function errorResponses(extra: Record<string, string> = {}) {
  const responses: Record<string, unknown> = {};
  const described: Record<string, string> = {
    "400": "The body is not a batch (not JSON, no records list)",
    "401": "No API key, or an unknown, revoked or expired one",
    "403": "The key's scopes do not cover this entity",
    "413": `Body larger than ${LIMITS.maxBodyBytes} bytes, or more than ${LIMITS.maxRecords} records`,
    "415": "Not application/json",
    "429": "The key's rate per minute is spent; see Retry-After",
    ...extra,
  };
  for (const [status, description] of Object.entries(described)) {
    responses[status] = {
      description,
      ...(status === "429" ? { headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait" } } } : {}),
      content: { "application/json": { schema: ref("Error") } },
    };
  }
  return responses;
}

function batchBody(itemSchema: string) {
  return {
    required: true,
    content: {
      "application/json": {
        schema: {
          type: "object",
          additionalProperties: false,
          required: ["records"],
          properties: { records: { type: "array", minItems: 1, maxItems: LIMITS.maxRecords, items: ref(itemSchema) } },
        },
      },
    },
  };
}

const batchOk = { description: "The batch was processed: one result per record", content: { "application/json": { schema: ref("BatchResponse") } } };

let cached: Record<string, unknown> | undefined;

export function buildOpenApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const schemas: Record<string, unknown> = {
    FieldError: jsonSchema(FieldErrorSchema, "output"),
    RecordResult: jsonSchema(RecordResultSchema, "output"),
    Counts: jsonSchema(CountsSchema, "output"),
    BatchResponse: jsonSchema(BatchResponseSchema, "output"),
    Error: jsonSchema(ErrorSchema, "output"),
    DeleteRecord: jsonSchema(DeleteRecordSchema),
    DocumentFileUpload: jsonSchema(DocumentFileUploadShape),
  };
  const paths: Record<string, unknown> = {};
  for (const def of ENTITIES) {
    const name = `${pascal(def.name)}Record`;
    schemas[name] = { ...jsonSchema(def.shape), description: def.description };
    const upsertBody = batchBody(name) as { content: Record<string, unknown>; required: boolean };
    if (def.name === "document-files") {
      upsertBody.content["multipart/form-data"] = {
        schema: {
          type: "object",
          required: ["file", "record"],
          properties: {
            file: { type: "string", contentMediaType: "application/octet-stream", description: "The bytes (PDF, XML, PNG, JPEG or ZIP, checked by content)" },
            record: { type: "string", contentMediaType: "application/json", contentSchema: ref("DocumentFileUpload") },
          },
        },
      };
    }
    paths[`/${def.name}`] = {
      post: {
        operationId: `upsert${pascal(def.name)}`,
        summary: `Upsert ${def.label}s`,
        description: `${def.description} Idempotent by ERP id and version: an older or equal version changes nothing.`,
        tags: [def.name],
        requestBody: upsertBody,
        responses: { "200": batchOk, ...errorResponses() },
      },
    };
    paths[`/${def.name}/delete`] = {
      post: {
        operationId: `delete${pascal(def.name)}`,
        summary: `Delete ${def.label}s by ERP id`,
        description: "A stored version newer than the delete's wins; a tombstone keeps older upserts from bringing the record back.",
        tags: [def.name],
        requestBody: batchBody("DeleteRecord"),
        responses: { "200": batchOk, ...errorResponses() },
      },
    };
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Ledgerlight ERP API",
      version: "1.0.0",
      description:
        "The ERP pushes its records into the portal. Each batch answers per record: accepted (inserted, updated, deleted), " +
        "unchanged (same or older version) or rejected (field errors; the record is kept in the dead letter for staff to fix and replay). " +
        "A record with its lines is applied whole or not at all.",
    },
    servers: [{ url: "/api/erp/v1" }],
    security: [{ apiKey: [] }],
    components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key created by a staff admin (llk_…)" } }, schemas },
    paths,
  };
  return cached;
}

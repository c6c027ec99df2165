import { z } from "zod";
import type { EntityDef } from "../entities/types";
import type { FieldKind } from "../schemas/fields";

/**
 * The flat fields a CSV column or SQL column can fill, read off the entity's schema (its JSON
 * Schema): header fields by name, fields of the row collection (one row per line) as `lines.<name>`.
 */

export interface FlatField {
  path: string;
  kind: FieldKind;
  required: boolean;
  /** Part of the row collection (a line), not the header. */
  inRow: boolean;
  enumValues?: string[];
}

export interface FlatFields {
  entity: string;
  rowCollection: string | null;
  fields: Map<string, FlatField>;
}

type JsonSchema = {
  type?: string | string[];
  format?: string;
  "x-kind"?: string;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

function kindOf(schema: JsonSchema): FieldKind {
  if (schema["x-kind"]) return schema["x-kind"] as FieldKind;
  if (schema.format === "date") return "date";
  if (schema.format === "date-time") return "datetime";
  if (schema.enum) return "enum";
  const types = [schema.type ?? []].flat().filter((t) => t !== "null");
  if (types.includes("integer")) return "integer";
  if (types.includes("number")) return "decimal";
  if (types.includes("boolean")) return "boolean";
  if (types.includes("array")) return "list";
  if (schema.anyOf) {
    const inner = schema.anyOf.filter((s) => s.type !== "null");
    if (inner.length === 1) return kindOf(inner[0]);
  }
  return "text";
}

function isObjectArray(schema: JsonSchema): boolean {
  return [schema.type ?? []].flat().includes("array") && Boolean(schema.items?.properties);
}

const cache = new Map<string, FlatFields>();

export function flatFieldsOf(def: EntityDef): FlatFields {
  const hit = cache.get(def.name);
  if (hit) return hit;
  const json = z.toJSONSchema(def.shape, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const fields = new Map<string, FlatField>();
  const required = new Set(json.required ?? []);
  const rowCollection = def.rowCollection ?? null;
  for (const [name, schema] of Object.entries(json.properties ?? {})) {
    if (isObjectArray(schema) && name !== rowCollection) {
      // Other collections (VAT breakdown, allowances, payments, …) fit a cell as JSON text.
      fields.set(name, { path: name, kind: "json", required: required.has(name), inRow: false });
      continue;
    }
    if (isObjectArray(schema)) {
      const item = schema.items!;
      const itemRequired = new Set(item.required ?? []);
      for (const [field, fieldSchema] of Object.entries(item.properties ?? {})) {
        fields.set(`${name}.${field}`, {
          path: `${name}.${field}`,
          kind: kindOf(fieldSchema),
          required: itemRequired.has(field),
          inRow: true,
          enumValues: fieldSchema.enum?.map(String),
        });
      }
      continue;
    }
    fields.set(name, { path: name, kind: kindOf(schema), required: required.has(name), inRow: false, enumValues: schema.enum?.map(String) });
  }
  const flat = { entity: def.name, rowCollection, fields };
  cache.set(def.name, flat);
  return flat;
}

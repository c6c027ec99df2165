import { createHash } from "node:crypto";
import type { ShapeCondition, ShapeDefinition } from "../shapes/registry";
import { requireColumn, type TableSchema } from "./table-schema.server";

/**
 * One concrete shape as the engine serves it: everything comes from the registry and the session's
 * scope, nothing from the request. Its identity (the hash) covers the name, the table, the columns
 * with their current types and the conditions, so a scope change (membership, location
 * restriction) or a migration of a synced column gives a new definition and old handles get 409.
 */
export interface ShapeRequestDefinition {
  name: string;
  table: string;
  columns: readonly string[];
  primaryKey: readonly string[];
  conditions: readonly ShapeCondition[];
}

export function requestDefinition(shape: ShapeDefinition, conditions: readonly ShapeCondition[]): ShapeRequestDefinition {
  return { name: shape.name, table: shape.table, columns: shape.columns, primaryKey: shape.primaryKey, conditions };
}

/** Fails loudly when the registry and the database disagree (a configuration bug, not a client error). */
export function checkDefinitionAgainstSchema(definition: ShapeRequestDefinition, schema: TableSchema): void {
  for (const column of definition.columns) requireColumn(schema, column);
  for (const condition of definition.conditions) requireColumn(schema, condition.column);
  const keys = [...definition.primaryKey].join(",");
  if (keys !== schema.primaryKey.join(",")) {
    throw new Error(`shape ${definition.name}: registry primary key (${keys}) differs from public.${schema.table} (${schema.primaryKey.join(",")})`);
  }
  for (const key of definition.primaryKey) {
    if (!definition.columns.includes(key)) throw new Error(`shape ${definition.name}: columns must include the primary key ${key}`);
  }
}

/**
 * Hashes memoised per definition object (and the schema it was hashed against): the gateway keeps
 * one prepared definition per cached session access and shape (a live client's every reconnect
 * reuses it), so the sha256 over its JSON is computed once instead of once per request.
 */
const hashes = new WeakMap<ShapeRequestDefinition, { schema: TableSchema; hash: string }>();

export function definitionHash(definition: ShapeRequestDefinition, schema: TableSchema): string {
  const known = hashes.get(definition);
  if (known?.schema === schema) return known.hash;
  const hash = computeDefinitionHash(definition, schema);
  hashes.set(definition, { schema, hash });
  return hash;
}

function computeDefinitionHash(definition: ShapeRequestDefinition, schema: TableSchema): string {
  const identity = {
    name: definition.name,
    table: definition.table,
    columns: definition.columns.map((name) => {
      const column = requireColumn(schema, name);
      return [name, column.typname, column.dims, column.typmod, column.notNull];
    }),
    primaryKey: definition.primaryKey,
    conditions: definition.conditions.map((c) => [c.column, [...c.values].sort()]),
  };
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex");
}

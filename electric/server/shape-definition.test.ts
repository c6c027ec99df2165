import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { findShape } from "../shapes/registry";
import { definitionHash, requestDefinition } from "./shape-definition.server";
import { loadTableSchema, type TableSchema } from "./table-schema.server";

/**
 * definitionHash is memoised per definition object (the gateway reuses one per cached access and
 * shape): the memo must never answer for another schema or another definition.
 */

let schema: TableSchema;
const orders = findShape("orders")!;
const conditions = [{ column: "account_id", values: ["00000000-0000-0000-0000-000000000001"] }];

beforeAll(async () => {
  schema = await loadTableSchema(await getDb(), orders.table);
});

describe("definitionHash", () => {
  it("is the same for equal definitions, memoised or not, and differs for other conditions", () => {
    const definition = requestDefinition(orders, conditions);
    const first = definitionHash(definition, schema);
    expect(definitionHash(definition, schema)).toBe(first);
    expect(definitionHash(requestDefinition(orders, [...conditions]), schema)).toBe(first);
    const other = requestDefinition(orders, [{ column: "account_id", values: ["00000000-0000-0000-0000-000000000002"] }]);
    expect(definitionHash(other, schema)).not.toBe(first);
  });

  it("hashes a memoised definition again against another schema (a migrated column type)", () => {
    const definition = requestDefinition(orders, conditions);
    const before = definitionHash(definition, schema);
    const migrated: TableSchema = { ...schema, columns: new Map(schema.columns) };
    const column = orders.columns.find((name) => name !== "id" && !orders.primaryKey.includes(name))!;
    migrated.columns.set(column, { ...schema.columns.get(column)!, typname: "text", typmod: -1 });
    expect(definitionHash(definition, migrated)).not.toBe(before);
    expect(definitionHash(definition, schema)).toBe(before);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { BinaryCopyReader } from "./copy-binary.server";
import { SnapshotBody } from "./snapshot.server";
import { conditionsLiteralSql, conditionsSql, type TableSchema } from "./table-schema.server";

/** Texts COPY must carry byte for byte: quotes, backslashes, control characters, multi-byte, empty. */
const TEXTS = [
  `plain`, `it's "quoted"`, `back\\slash \\N \\.`, `tab\tnew\nline\r`, `Müller € 😀 Ωmega`, ``, `,`, `x`.repeat(70_000),
];

let db: Db;
let copied: Buffer;

beforeAll(async () => {
  db = await getDb();
  copied = await db.transaction(async (tx) => {
    if (!tx.copyOut) throw new Error("a Postgres transaction offers COPY");
    const chunks: Buffer[] = [];
    for await (const chunk of tx.copyOut(`COPY (SELECT t FROM unnest(${arrayOf(TEXTS)}) WITH ORDINALITY AS x(t, n) ORDER BY n) TO STDOUT (FORMAT binary)`)) {
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  });
}, 60_000);

function arrayOf(texts: readonly string[]): string {
  return `ARRAY[${texts.map((t) => `'${t.replaceAll("'", "''")}'`).join(", ")}]::text[]`;
}

/** Feeds `bytes` to a reader in chunks of `size` and returns what the body holds. */
function readInChunks(bytes: Buffer, size: number): { text: string; rows: number } {
  const body = new SnapshotBody();
  const reader = new BinaryCopyReader(body);
  for (let at = 0; at < bytes.length; at += size) reader.push(bytes.subarray(at, at + size));
  reader.finish();
  return { text: Buffer.concat(body.finish().parts).toString("utf8"), rows: reader.rows };
}

const expected = TEXTS.map((t) => `${t},`).join("");

describe("BinaryCopyReader", () => {
  it("reads Postgres' binary COPY into the body exactly, however the output is cut into chunks", () => {
    for (const size of [1, 2, 3, 5, 7, 19, 64, 1000, 65_536, copied.length]) {
      expect(readInChunks(copied, size), `chunks of ${size} bytes`).toEqual({ text: expected, rows: TEXTS.length });
    }
  });

  it("refuses output that ends early, is not binary, or has more than one column", async () => {
    expect(() => readInChunks(copied.subarray(0, copied.length - 2), 100)).toThrow(/ended early/);
    expect(() => readInChunks(Buffer.from("id,name\n1,plain text\n2,more text\n"), 100)).toThrow(/not in binary format/);
    const twoColumns = await db.transaction(async (tx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of tx.copyOut!(`COPY (SELECT 'a', 'b') TO STDOUT (FORMAT binary)`)) chunks.push(chunk);
      return Buffer.concat(chunks);
    });
    expect(() => readInChunks(twoColumns, 100)).toThrow(/2 fields, expected 1/);
  });
});

describe("conditionsLiteralSql", () => {
  const schema = { table: "t", columns: new Map([["v", { name: "v", castType: "text" }]]) } as unknown as TableSchema;

  it("selects what the parameterised conditions select, whatever the values hold", async () => {
    const values = [...TEXTS.slice(0, 6), `'); DROP TABLE x; --`];
    const literal = conditionsLiteralSql("t", schema, [{ column: "v", values }]);
    const parameterised = conditionsSql("t", schema, [{ column: "v", values }], 1);
    const rows = (where: string, params: unknown[]) =>
      db.query<{ v: string }>(`SELECT t.v FROM unnest(${arrayOf([...TEXTS, "other"])}) AS t(v) WHERE ${where} ORDER BY 1`, params);
    const byLiteral = await rows(literal, []);
    expect(byLiteral.rows.map((r) => r.v)).toEqual((await rows(parameterised.sql, parameterised.params)).rows.map((r) => r.v));
    expect(byLiteral.rows).toHaveLength(6);
  });
});

import { isChangeMessage, isControlMessage, type ChangeMessage, type Message, type Row, type ShapeStream } from "@electric-sql/client";
import type { Queryable } from "~/db/db.server";
import { quoteIdent, qualifiedTable } from "../table-schema.server";

/** Keeps every value as the string the server sent, so rows compare value by value with Postgres. */
const asText = (value: string) => value;
export const TEXT_PARSER = {
  int2: asText,
  int4: asText,
  int8: asText,
  bool: asText,
  float4: asText,
  float8: asText,
  json: asText,
  jsonb: asText,
};

export type TextRow = Record<string, string | null>;

/**
 * Applies a ShapeStream's messages the way a replica does (upsert on insert, merge on update,
 * delete by key, clear on must-refetch) and records what arrived, for assertions.
 */
export class ShapeCollector {
  readonly rows = new Map<string, TextRow>();
  readonly changes: ChangeMessage<Row>[] = [];
  upToDates = 0;
  mustRefetches = 0;
  error: Error | null = null;
  readonly #unsubscribe: () => void;

  constructor(readonly stream: ShapeStream<Row>) {
    this.#unsubscribe = stream.subscribe(
      (messages) => this.#apply(messages),
      (error) => {
        this.error = error;
      },
    );
  }

  #apply(messages: Message<Row>[]): void {
    for (const message of messages) {
      if (isChangeMessage(message)) {
        this.changes.push(message);
        const value = message.value as TextRow;
        if (message.headers.operation === "insert") this.rows.set(message.key, { ...value });
        else if (message.headers.operation === "update") this.rows.set(message.key, { ...this.rows.get(message.key), ...value });
        else this.rows.delete(message.key);
      } else if (isControlMessage(message)) {
        if (message.headers.control === "up-to-date") this.upToDates += 1;
        if (message.headers.control === "must-refetch") {
          this.mustRefetches += 1;
          this.rows.clear();
        }
      }
    }
  }

  byId(): Map<string, TextRow> {
    return new Map([...this.rows.values()].map((row) => [String(row.id), row]));
  }

  async waitFor(description: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const started = Date.now();
    while (!predicate()) {
      if (this.error) throw new Error(`stream failed while waiting for ${description}: ${this.error.message}`);
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits until the stream is up to date and at least `count` up-to-date messages arrived. */
  waitForUpToDate(count = 1, timeoutMs?: number): Promise<void> {
    return this.waitFor(`up-to-date #${count}`, () => this.upToDates >= count && this.stream.isUpToDate, timeoutMs);
  }

  stop(): void {
    this.#unsubscribe();
  }
}

/**
 * The rows Postgres holds for a shape, rendered independently of the engine: `::text` under UTC,
 * with booleans mapped to the output function's t/f.
 */
export async function expectedRows(
  db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  table: string,
  columns: readonly string[],
  where: string,
  params: unknown[],
): Promise<Map<string, TextRow>> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL TimeZone = 'UTC'`);
    const types = await tx.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0`,
      [`public.${table}`],
    );
    const booleans = new Set(types.rows.filter((t) => t.type === "boolean").map((t) => t.name));
    const select = columns.map((c) => `t.${quoteIdent(c)}::text AS ${quoteIdent(c)}`).join(", ");
    const { rows } = await tx.query<TextRow>(`SELECT ${select} FROM ${qualifiedTable(table)} t WHERE ${where}`, params);
    return new Map(
      rows.map((row) => {
        for (const name of booleans) if (row[name] !== null && name in row) row[name] = row[name] === "true" ? "t" : "f";
        return [String(row.id), row];
      }),
    );
  });
}

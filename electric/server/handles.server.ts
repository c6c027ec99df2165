import { randomBytes } from "node:crypto";
import type { Queryable } from "~/db/db.server";

/**
 * Shape handles. A handle names one snapshot of one shape definition and is persisted in
 * sync_shapes, so a client resumes with it after a restart. Handles are never reused: the client
 * treats a handle it has seen expire as a stale cache hit (ELECTRIC-PROTOCOL §1.9), so every new
 * snapshot and every 409 gets a fresh one (definition-hash prefix, millisecond clock, random bytes).
 */
export function mintHandle(definitionHash: string): string {
  return `${definitionHash.slice(0, 12)}-${Date.now()}-${randomBytes(6).toString("hex")}`;
}

export interface KnownShape {
  handle: string;
  definitionHash: string;
  snapshotPosition: number;
}

export async function recordHandle(tx: Queryable, shape: KnownShape & { shapeName: string }): Promise<void> {
  await tx.query(
    `INSERT INTO sync_shapes (handle, shape_name, definition_hash, snapshot_position) VALUES ($1, $2, $3, $4)`,
    [shape.handle, shape.shapeName, shape.definitionHash, shape.snapshotPosition],
  );
}

const TOUCH_EVERY_MS = 60 * 60_000;
const CACHE_LIMIT = 10_000;

/**
 * Looks handles up with a small in-process cache (a handle's row never changes), and refreshes
 * last_used_at at most hourly so compaction keeps the handles of clients that still sync.
 */
export class HandleStore {
  readonly #cache = new Map<string, KnownShape & { touchedAt: number }>();

  constructor(private readonly db: Queryable) {}

  async lookup(handle: string): Promise<KnownShape | null> {
    const cached = this.#cache.get(handle);
    if (cached) {
      if (Date.now() - cached.touchedAt > TOUCH_EVERY_MS) {
        cached.touchedAt = Date.now();
        await this.db.query(`UPDATE sync_shapes SET last_used_at = now() WHERE handle = $1`, [handle]);
      }
      return cached;
    }
    const { rows } = await this.db.query<KnownShape>(
      `UPDATE sync_shapes SET last_used_at = now() WHERE handle = $1
       RETURNING handle, definition_hash AS "definitionHash", snapshot_position AS "snapshotPosition"`,
      [handle],
    );
    const found = rows[0];
    if (!found) return null;
    this.remember(found);
    return found;
  }

  remember(shape: KnownShape): void {
    if (this.#cache.size >= CACHE_LIMIT) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(shape.handle, { ...shape, touchedAt: Date.now() });
  }

  forget(handle: string): void {
    this.#cache.delete(handle);
  }
}

import { getDb } from "~/db/connection.server";
import { buildScope, type Scope } from "./scope.server";

/**
 * For tests: the scope of a seeded contact, signed in to `accountNumber` (default: the first of
 * their accounts by number).
 */
export async function scopeOf(email: string, accountNumber?: string): Promise<Scope> {
  const db = await getDb();
  const { rows } = await db.query<{ id: string; language: "en" | "de"; accountId: string }>(
    `SELECT u.id, u.language, a.id AS "accountId"
       FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
      WHERE u.email = $1 AND ($2::text IS NULL OR a.number = $2) ORDER BY a.number LIMIT 1`,
    [email, accountNumber ?? null],
  );
  const scope = rows[0] ? await buildScope(db, rows[0], rows[0].accountId) : null;
  if (!scope) throw new Error(`${email} has no membership in ${accountNumber ?? "any account"}`);
  return scope;
}

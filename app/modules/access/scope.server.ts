import type { Queryable } from "~/db/db.server";
import type { ContactRole } from "./permissions";

/**
 * What one signed-in contact may see right now: the active account (plus its subsidiaries when the
 * membership includes them), narrowed to some locations when the membership is restricted.
 * Every function that reads customer data takes it first and filters by it.
 */
export interface Scope {
  userId: string;
  /** The account the contact is acting for (chosen in the account switcher). */
  accountId: string;
  /** accountId plus, with include-subsidiaries, every descendant account. */
  accountIds: string[];
  /** null: every location of those accounts; otherwise only rows of these locations. */
  locationIds: string[] | null;
  role: ContactRole;
  language: "en" | "de";
  /**
   * The staff member viewing the portal as this contact (decision 035), else null/absent. Audit
   * events of the view carry it as impersonator_user_id; the contact's own state is not written.
   */
  impersonatorUserId?: string | null;
}

export interface Membership {
  accountId: string;
  accountName: string;
  accountNumber: string;
  role: ContactRole;
  includeSubsidiaries: boolean;
}

export async function listMemberships(db: Queryable, userId: string): Promise<Membership[]> {
  const { rows } = await db.query<Membership>(
    `SELECT m.account_id AS "accountId", a.name AS "accountName", a.number AS "accountNumber",
            m.role, m.include_subsidiaries AS "includeSubsidiaries"
       FROM memberships m JOIN accounts a ON a.id = m.account_id
      WHERE m.user_id = $1 AND a.status = 'active'
      ORDER BY a.name`,
    [userId],
  );
  return rows;
}

/**
 * The memberships the session may act in: all of the contact's, or, while staff view the portal as
 * the contact (decision 035), only the one of the account they chose.
 */
export async function sessionMemberships(
  db: Queryable,
  user: { id: string; viewAs?: { accountId: string } | null },
): Promise<Membership[]> {
  const memberships = await listMemberships(db, user.id);
  return user.viewAs ? memberships.filter((m) => m.accountId === user.viewAs?.accountId) : memberships;
}

/** Builds the scope of `userId` acting for `accountId`; null when they have no membership there. */
export async function buildScope(
  db: Queryable,
  user: { id: string; language: "en" | "de"; viewAs?: { staffUserId: string } | null },
  accountId: string,
): Promise<Scope | null> {
  const { rows } = await db.query<{ membershipId: string; role: ContactRole; includeSubsidiaries: boolean }>(
    `SELECT m.id AS "membershipId", m.role, m.include_subsidiaries AS "includeSubsidiaries"
       FROM memberships m JOIN accounts a ON a.id = m.account_id
      WHERE m.user_id = $1 AND m.account_id = $2 AND a.status = 'active'`,
    [user.id, accountId],
  );
  const membership = rows[0];
  if (!membership) return null;
  const accountIds = membership.includeSubsidiaries
    ? (
        await db.query<{ id: string }>(
          `WITH RECURSIVE tree AS (
             SELECT id FROM accounts WHERE id = $1
             UNION SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id WHERE a.status = 'active'
           ) SELECT id FROM tree`,
          [accountId],
        )
      ).rows.map((r) => r.id)
    : [accountId];
  const locations = await db.query<{ locationId: string }>(
    `SELECT location_id AS "locationId" FROM membership_locations WHERE membership_id = $1`,
    [membership.membershipId],
  );
  return {
    userId: user.id,
    accountId,
    accountIds,
    locationIds: locations.rowCount > 0 ? locations.rows.map((r) => r.locationId) : null,
    role: membership.role,
    language: user.language,
    impersonatorUserId: user.viewAs?.staffUserId ?? null,
  };
}

/**
 * The SQL filter for a table that carries account_id (and location_id), as a fragment plus params
 * numbered from `firstParam`. A location-restricted contact sees only rows of their locations;
 * rows without a location are account-wide and therefore not theirs.
 */
export function scopeFilter(
  scope: Scope,
  alias: string,
  firstParam: number,
  options: { hasLocation: boolean } = { hasLocation: true },
): { sql: string; params: unknown[] } {
  const parts = [`${alias}.account_id = ANY($${firstParam}::uuid[])`];
  const params: unknown[] = [scope.accountIds];
  if (options.hasLocation && scope.locationIds) {
    parts.push(`${alias}.location_id = ANY($${firstParam + 1}::uuid[])`);
    params.push(scope.locationIds);
  }
  return { sql: parts.join(" AND "), params };
}

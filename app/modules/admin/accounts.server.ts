import { getDb } from "~/db/connection.server";
import { isUuid } from "~/modules/ids";

export interface AccountListRow {
  id: string;
  number: string;
  name: string;
  countryCode: string;
  currency: string;
  parentName: string | null;
  contactCount: number;
  openAmount: string | null;
  status: string;
}

/** Staff-wide account list (no customer scope: only staff guards lead here). */
export async function searchAccounts(q: string | undefined, limit = 200): Promise<AccountListRow[]> {
  const db = await getDb();
  const term = q?.trim() ? `%${q.trim()}%` : null;
  const { rows } = await db.query<AccountListRow>(
    `SELECT a.id, a.number, a.name, a.country_code AS "countryCode", a.currency, p.name AS "parentName", a.status,
            (SELECT count(*) FROM memberships m WHERE m.account_id = a.id) AS "contactCount",
            (SELECT sum(i.amount_due)::numeric(14,2)::text FROM invoices i
              WHERE i.account_id = a.id AND i.kind = 'invoice' AND i.status IN ('open','partially_paid')) AS "openAmount"
       FROM accounts a LEFT JOIN accounts p ON p.id = a.parent_id
      WHERE $1::text IS NULL OR a.name ILIKE $1 OR a.number ILIKE $1 OR a.vat_id ILIKE $1 OR a.city ILIKE $1
         OR EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.account_id = a.id AND u.email ILIKE $1)
      ORDER BY a.number LIMIT $2`,
    [term, limit],
  );
  return rows;
}

export interface AccountContact {
  userId: string;
  email: string;
  name: string;
  role: string;
  status: "invited" | "active" | "disabled";
  includeSubsidiaries: boolean;
  locations: string[];
  lastLoginAt: Date | null;
  pendingInvitationExpiresAt: Date | null;
}

export interface AccountDetail {
  id: string;
  number: string;
  name: string;
  vatId: string | null;
  countryCode: string;
  language: string;
  currency: string;
  buyerReference: string | null;
  city: string | null;
  parent: { id: string; name: string } | null;
  subsidiaries: { id: string; name: string; number: string }[];
  locations: { id: string; code: string; name: string; city: string | null }[];
  contacts: AccountContact[];
}

export async function getAccountDetail(accountId: string): Promise<AccountDetail | null> {
  if (!isUuid(accountId)) return null;
  const db = await getDb();
  const { rows } = await db.query<Omit<AccountDetail, "subsidiaries" | "locations" | "contacts" | "parent"> & { parentId: string | null; parentName: string | null }>(
    `SELECT a.id, a.number, a.name, a.vat_id AS "vatId", a.country_code AS "countryCode", a.language, a.currency,
            a.buyer_reference AS "buyerReference", a.city, p.id AS "parentId", p.name AS "parentName"
       FROM accounts a LEFT JOIN accounts p ON p.id = a.parent_id WHERE a.id = $1`,
    [accountId],
  );
  const account = rows[0];
  if (!account) return null;
  const [subsidiaries, locations, contacts] = await Promise.all([
    db.query<AccountDetail["subsidiaries"][number]>(`SELECT id, name, number FROM accounts WHERE parent_id = $1 ORDER BY number`, [accountId]),
    db.query<AccountDetail["locations"][number]>(`SELECT id, code, name, city FROM locations WHERE account_id = $1 ORDER BY code`, [accountId]),
    db.query<AccountContact>(
      `SELECT u.id AS "userId", u.email, u.name, m.role, u.status, m.include_subsidiaries AS "includeSubsidiaries",
              coalesce((SELECT array_agg(l.name ORDER BY l.name) FROM membership_locations ml JOIN locations l ON l.id = ml.location_id
                         WHERE ml.membership_id = m.id), '{}') AS locations,
              u.last_login_at AS "lastLoginAt",
              (SELECT max(i.expires_at) FROM invitations i WHERE i.user_id = u.id AND i.account_id = m.account_id
                  AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()) AS "pendingInvitationExpiresAt"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.account_id = $1 ORDER BY u.name`,
      [accountId],
    ),
  ]);
  const { parentId, parentName, ...rest } = account;
  return {
    ...rest,
    parent: parentId && parentName ? { id: parentId, name: parentName } : null,
    subsidiaries: subsidiaries.rows,
    locations: locations.rows,
    contacts: contacts.rows,
  };
}

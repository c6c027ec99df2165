import type { Queryable } from "~/db/db.server";
import type { z } from "zod";
import type { ContactRecordSchema } from "../schemas/contacts";
import { FieldErrorsError, type CustomApplier, type FieldError, type Row } from "./types";

/**
 * Contacts live in users (kind contact) and memberships. The ERP owns a contact's identity fields
 * and the memberships it names; memberships a contact admin or staff added in the portal for other
 * accounts are left alone. New contacts start "invited" without a mail: staff or the contact admin
 * send the invitation from the portal. Deleting disables the sign-in (documents keep their buyer).
 */

type ContactRecord = z.output<typeof ContactRecordSchema>;

interface ExistingUser {
  id: string;
  erp_id: string | null;
  erp_version: number;
  kind: string;
  status: string;
  has_password: boolean;
}

async function resolveMemberships(tx: Queryable, record: ContactRecord) {
  const accountErpIds = record.memberships.map((m) => m.accountErpId);
  const locationErpIds = record.memberships.flatMap((m) => m.locationErpIds);
  const accounts = await tx.query<{ erp_id: string; id: string }>(`SELECT erp_id, id FROM accounts WHERE erp_id = ANY($1::text[])`, [accountErpIds]);
  const locations = await tx.query<{ erp_id: string; id: string; account_id: string }>(
    `SELECT erp_id, id, account_id FROM locations WHERE erp_id = ANY($1::text[])`,
    [locationErpIds],
  );
  const accountIds = new Map(accounts.rows.map((a) => [a.erp_id, a.id]));
  const locationRows = new Map(locations.rows.map((l) => [l.erp_id, l]));
  const errors: FieldError[] = [];
  const resolved = record.memberships.map((m, i) => {
    const accountId = accountIds.get(m.accountErpId);
    if (!accountId) errors.push({ path: `memberships.${i}.accountErpId`, message: `no account with ERP id "${m.accountErpId}" (send the account first)` });
    const locationIds = m.locationErpIds.map((erpId, j) => {
      const location = locationRows.get(erpId);
      if (!location) errors.push({ path: `memberships.${i}.locationErpIds.${j}`, message: `no location with ERP id "${erpId}"` });
      else if (accountId && location.account_id !== accountId) {
        errors.push({ path: `memberships.${i}.locationErpIds.${j}`, message: `location "${erpId}" belongs to another account` });
      }
      return location?.id ?? "";
    });
    return { accountId: accountId ?? "", role: m.role, includeSubsidiaries: m.includeSubsidiaries, locationIds };
  });
  if (errors.length > 0) throw new FieldErrorsError(errors);
  return resolved;
}

async function findUser(tx: Queryable, where: "erp_id" | "email", value: string): Promise<ExistingUser | undefined> {
  const { rows } = await tx.query<ExistingUser>(
    `SELECT id, erp_id, erp_version, kind, status, password_hash IS NOT NULL AS has_password FROM users WHERE ${where} = $1 FOR UPDATE`,
    [value],
  );
  return rows[0];
}

async function applyContact(tx: Queryable, raw: Row, version: number): Promise<"inserted" | "updated" | "unchanged"> {
  const record = raw as unknown as ContactRecord;
  const tombstone = await tx.query(`SELECT 1 FROM erp_tombstones WHERE table_name = 'users' AND erp_id = $1 AND erp_version >= $2`, [
    record.erpId,
    version,
  ]);
  if (tombstone.rowCount > 0) return "unchanged";
  let user = await findUser(tx, "erp_id", record.erpId);
  if (user && user.erp_version >= version) return "unchanged";
  const byEmail = await findUser(tx, "email", record.email);
  if (byEmail && byEmail.id !== user?.id) {
    if (byEmail.kind !== "contact") throw new FieldErrorsError([{ path: "email", message: "belongs to a staff sign-in and cannot be a customer contact" }]);
    if (byEmail.erp_id) throw new FieldErrorsError([{ path: "email", message: `is already used by the contact with ERP id "${byEmail.erp_id}"` }]);
    if (user) throw new FieldErrorsError([{ path: "email", message: "is already used by another contact" }]);
    user = byEmail; // a contact invited in the portal before the ERP knew them: the ERP takes it over
  }
  const memberships = await resolveMemberships(tx, record);
  const values = [record.email, record.name, record.language, record.phone, record.jobTitle, record.erpId, version];
  let userId: string;
  let outcome: "inserted" | "updated";
  if (!user) {
    const status = record.status === "disabled" ? "disabled" : "invited";
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO users (email, name, kind, language, phone, job_title, erp_id, erp_version, status)
       VALUES ($1, $2, 'contact', $3, $4, $5, $6, $7, $8) RETURNING id`,
      [...values, status],
    );
    userId = inserted.rows[0].id;
    outcome = "inserted";
  } else {
    const reenabled = user.has_password ? "active" : "invited";
    const status = record.status === "disabled" ? "disabled" : user.status === "disabled" ? reenabled : user.status;
    await tx.query(
      `UPDATE users SET email = $1, name = $2, language = $3, phone = $4, job_title = $5, erp_id = $6, erp_version = $7, status = $8
        WHERE id = $9`,
      [...values, status, user.id],
    );
    userId = user.id;
    outcome = "updated";
    if (status === "disabled" && user.status !== "disabled") {
      await tx.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    }
  }
  for (const m of memberships) {
    const membership = await tx.query<{ id: string }>(
      `INSERT INTO memberships (user_id, account_id, role, include_subsidiaries) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, account_id) DO UPDATE SET role = EXCLUDED.role, include_subsidiaries = EXCLUDED.include_subsidiaries
       RETURNING id`,
      [userId, m.accountId, m.role, m.includeSubsidiaries],
    );
    const membershipId = membership.rows[0].id;
    await tx.query(`DELETE FROM membership_locations WHERE membership_id = $1 AND NOT (location_id = ANY($2::uuid[]))`, [
      membershipId,
      m.locationIds,
    ]);
    await tx.query(
      `INSERT INTO membership_locations (membership_id, location_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [membershipId, m.locationIds],
    );
  }
  return outcome;
}

async function removeContact(tx: Queryable, erpId: string, version: number): Promise<boolean> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE users SET status = 'disabled', erp_version = $2
      WHERE erp_id = $1 AND kind = 'contact' AND erp_version <= $2 RETURNING id`,
    [erpId, version],
  );
  if (rows.length === 0) return false;
  await tx.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [rows[0].id]);
  return true;
}

export const contactApplier: CustomApplier = { apply: applyContact, remove: removeContact };

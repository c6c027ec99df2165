import { getDb } from "~/db/connection.server";
import type { Scope } from "~/modules/access/scope.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { isEInvoiceFormat, type EInvoiceFormat } from "~/modules/einvoice/model";
import { isUuid } from "~/modules/ids";

/**
 * Which e-invoice format a contact gets offered first: the one they downloaded last (remembered per
 * contact), else the default staff set for the account, else XRechnung UBL for public buyers (they
 * have a Leitweg-ID) and ZUGFeRD for everyone else.
 */

export async function getPreferredFormat(scope: Scope): Promise<{ format: EInvoiceFormat; source: "contact" | "account" | "default" }> {
  const db = await getDb();
  const { rows } = await db.query<{ contact: string | null; account: string | null; leitweg: string | null }>(
    `SELECT (SELECT format FROM contact_einvoice_preferences WHERE user_id = $1) AS contact,
            (SELECT default_format FROM account_einvoice_settings WHERE account_id = $2) AS account,
            (SELECT buyer_reference FROM accounts WHERE id = $2) AS leitweg`,
    [scope.userId, scope.accountId],
  );
  const row = rows[0];
  if (isEInvoiceFormat(row?.contact)) return { format: row.contact, source: "contact" };
  if (isEInvoiceFormat(row?.account)) return { format: row.account, source: "account" };
  return { format: row?.leitweg ? "xrechnung-ubl" : "zugferd-en16931", source: "default" };
}

export async function rememberFormat(scope: Scope, format: EInvoiceFormat): Promise<void> {
  const db = await getDb();
  await db.query(
    `INSERT INTO contact_einvoice_preferences (user_id, format) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET format = EXCLUDED.format, updated_at = now()`,
    [scope.userId, format],
  );
}

/** Staff: the account's default format (null: none set). */
export async function getAccountDefaultFormat(accountId: string): Promise<EInvoiceFormat | null> {
  if (!isUuid(accountId)) return null;
  const db = await getDb();
  const { rows } = await db.query<{ default_format: string }>(`SELECT default_format FROM account_einvoice_settings WHERE account_id = $1`, [accountId]);
  return isEInvoiceFormat(rows[0]?.default_format) ? rows[0].default_format : null;
}

/** Staff: sets (or with null clears) the account's default format; audited. */
export async function setAccountDefaultFormat(
  actor: { userId: string; ip: string | null; userAgent: string | null },
  accountId: string,
  format: EInvoiceFormat | null,
): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    if (format) {
      await tx.query(
        `INSERT INTO account_einvoice_settings (account_id, default_format, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (account_id) DO UPDATE SET default_format = EXCLUDED.default_format, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [accountId, format, actor.userId],
      );
    } else {
      await tx.query(`DELETE FROM account_einvoice_settings WHERE account_id = $1`, [accountId]);
    }
    await recordAuditEvent(tx, {
      action: "admin.einvoice_default_set",
      actorUserId: actor.userId,
      accountId,
      entityType: "account",
      entityId: accountId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { format },
    });
  });
}

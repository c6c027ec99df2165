import type { z } from "zod";
import { getDb } from "~/db/connection.server";
import { translate } from "~/i18n/i18n";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { inviteContact, type Actor } from "~/modules/contacts/invitations.server";
import type { ContactRole } from "~/modules/access/permissions";
import { sendMail } from "~/modules/mail/mailer.server";
import { getSupplierSettings, supplierDisplayName } from "~/modules/supplier/supplier.server";
import type { SignupRequestSchema } from "./schemas";

type SignupInput = z.infer<typeof SignupRequestSchema>;

/** Self-signup never grants access: it files a request that staff approve by inviting the person. */
export async function createSignupRequest(
  input: SignupInput,
  language: "en" | "de",
  origin: { ip: string | null; userAgent: string | null },
): Promise<void> {
  const db = await getDb();
  const supplier = await getSupplierSettings(db);
  if (!supplier.selfSignupEnabled) throw new Response("Not Found", { status: 404 });
  await db.query(
    `INSERT INTO signup_requests (email, name, company_name, vat_id, customer_number, message, language)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [input.email, input.name, input.companyName, input.vatId || null, input.customerNumber || null, input.message || null, language],
  );
  await recordAuditEvent(db, { action: "signup.requested", ...origin, details: { email: input.email, company: input.companyName } });
  const vars = { name: input.name, supplier: supplierDisplayName(supplier), company: input.companyName };
  await sendMail({
    to: input.email,
    subject: translate(language, "mail.signup.subject", vars),
    text: translate(language, "mail.signup.body", vars),
  });
}

export interface SignupRequestRow {
  id: string;
  email: string;
  name: string;
  companyName: string;
  vatId: string | null;
  customerNumber: string | null;
  message: string | null;
  language: "en" | "de";
  status: "pending" | "approved" | "rejected";
  createdAt: Date;
}

export async function listSignupRequests(): Promise<SignupRequestRow[]> {
  const db = await getDb();
  const { rows } = await db.query<SignupRequestRow>(
    `SELECT id, email, name, company_name AS "companyName", vat_id AS "vatId", customer_number AS "customerNumber",
            message, language, status, created_at AS "createdAt"
       FROM signup_requests ORDER BY (status = 'pending') DESC, created_at DESC LIMIT 200`,
  );
  return rows;
}

export async function approveSignupRequest(
  actor: Actor,
  requestId: string,
  accountId: string,
  role: ContactRole,
): Promise<boolean> {
  const db = await getDb();
  const { rows } = await db.query<SignupRequestRow>(
    `UPDATE signup_requests SET status = 'approved', decided_by = $2, decided_at = now()
      WHERE id = $1 AND status = 'pending'
      RETURNING id, email, name, language`,
    [requestId, actor.userId],
  );
  const request = rows[0];
  if (!request) return false;
  await inviteContact(actor, accountId, {
    email: request.email,
    name: request.name,
    role,
    language: request.language,
    includeSubsidiaries: false,
    locationIds: [],
  });
  return true;
}

export async function rejectSignupRequest(actor: Actor, requestId: string, note: string): Promise<boolean> {
  const db = await getDb();
  const { rowCount } = await db.query(
    `UPDATE signup_requests SET status = 'rejected', decided_by = $2, decided_at = now(), decision_note = $3
      WHERE id = $1 AND status = 'pending'`,
    [requestId, actor.userId, note],
  );
  if (rowCount === 1) {
    await recordAuditEvent(db, { action: "signup.rejected", actorUserId: actor.userId, entityType: "signup_request", entityId: requestId, ip: actor.ip, userAgent: actor.userAgent });
  }
  return rowCount === 1;
}

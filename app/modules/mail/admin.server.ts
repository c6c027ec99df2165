import { data, type AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "~/db/connection.server";
import { requireStaff } from "~/modules/access/guards.server";
import { requestOrigin } from "~/modules/audit/audit.server";
import { describeFieldErrors } from "~/modules/erp/ui/admin.server";
import { parseForm } from "~/modules/forms";
import { retryMail } from "./queue.server";

const RetrySchema = z.object({
  intent: z.literal("retry", { error: "must be retry" }),
  id: z.uuid({ error: "is not a mail id" }),
});

/**
 * The Retry button of /admin/mail-queue and of one mail's page (/admin/mail-queue/:mailId, which
 * passes its own id): a staff admin (`mail.retry`) puts a failed mail back in line. 400 for a bad
 * form, 409 when the mail is not failed (any more).
 */
export async function retryMailFromForm(request: Request, context: AppLoadContext, mailId?: string) {
  const { user } = await requireStaff(request, "mail.retry");
  const form = await request.formData();
  if (mailId !== undefined) form.set("id", mailId);
  const parsed = parseForm(RetrySchema, form);
  if (!parsed.ok) return data({ ok: false, message: describeFieldErrors(parsed.fieldErrors) }, { status: 400 });
  const retried = await retryMail(await getDb(), { userId: user.id, ...requestOrigin(request, context.clientIp) }, parsed.data.id);
  return retried
    ? data({ ok: true, message: "Queued again: it goes out within seconds. If the server refuses it again, it shows as failed with the new error." })
    : data({ ok: false, message: "This mail is not failed (any more): it was sent or is already back in line." }, { status: 409 });
}

import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/connection.server";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { setActiveAccount } from "~/modules/auth/session.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "portal" });

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, memberships } = await requireContact(request);
  const accountId = String((await request.formData()).get("accountId") ?? "");
  if (!memberships.some((m) => m.accountId === accountId)) notFound();
  await setActiveAccount(user.sessionId, accountId);
  await recordAuditEvent(await getDb(), {
    action: "auth.account_switched",
    actorUserId: user.id,
    accountId,
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent"),
  });
  return redirect("/overview");
}

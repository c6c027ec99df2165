import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/connection.server";
import { currentUser } from "~/modules/access/guards.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { destroyUserSession, endViewAs } from "~/modules/auth/session.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "public" });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await currentUser(request);
  // Signing out while viewing as a contact ends that view too; the one signing out is the staff member.
  if (user?.viewAs) await endViewAs(user.sessionId, "sign-out", { ip: context.clientIp ?? null, userAgent: request.headers.get("user-agent") });
  const headers = await destroyUserSession(request);
  if (user) {
    await recordAuditEvent(await getDb(), {
      action: "auth.logout",
      actorUserId: user.viewAs?.staffUserId ?? user.id,
      ip: context.clientIp,
      userAgent: request.headers.get("user-agent"),
    });
  }
  return redirect("/login", { headers });
}

export async function loader() {
  return redirect("/login");
}

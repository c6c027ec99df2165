import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { currentUser } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { redirectToLogin } from "~/modules/auth/session.server";
import { exitViewAs } from "~/modules/contacts/view-as.server";

/** POST: staff stop viewing the portal as a contact and return to that account's admin page (decision 035). */
export const handle = routeAccess({ area: "signed-in" });

export async function action({ request, context }: ActionFunctionArgs) {
  // Not requireUser: it refuses every POST while viewing as, and this one ends the view.
  const user = (await currentUser(request)) ?? redirectToLogin(request);
  if (!user.viewAs) return redirect(user.kind === "staff" ? "/admin" : "/overview");
  const ended = await exitViewAs(user.sessionId, { ip: context.clientIp ?? null, userAgent: request.headers.get("user-agent") });
  return redirect(ended?.accountId ? `/admin/accounts/${ended.accountId}` : "/admin");
}


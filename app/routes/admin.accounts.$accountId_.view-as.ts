import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { ViewAsSchema } from "~/modules/contacts/schemas";
import { startViewAs } from "~/modules/contacts/view-as.server";
import { parseForm } from "~/modules/forms";

/** POST: staff start viewing the portal as one of this account's active contacts, read-only (decision 035). */
export const handle = routeAccess({ area: "admin", permission: "contacts.view_as" });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = await requireStaff(request, "contacts.view_as");
  const parsed = parseForm(ViewAsSchema, await request.formData());
  // A resource route: plain JSON (the page's fetcher shows the field errors beside the button).
  if (!parsed.ok) return Response.json({ ok: false, fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
  const contact = await startViewAs(
    { userId: user.id, sessionId: user.sessionId, ip: context.clientIp ?? null, userAgent: request.headers.get("user-agent") },
    params.accountId ?? "",
    parsed.data,
  );
  if (!contact) notFound();
  return redirect("/overview");
}

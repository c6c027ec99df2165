import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { getAccountDetail } from "~/modules/admin/accounts.server";
import { setAccountDefaultFormat } from "~/modules/documents/preferences.server";
import { isEInvoiceFormat } from "~/modules/einvoice/model";

/** Staff sets the account's default e-invoice format (posted from the account page). */
export const handle = routeAccess({ area: "admin", permission: "accounts.read" });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = await requireStaff(request, "accounts.read");
  const account = await getAccountDetail(params.accountId ?? "");
  if (!account) notFound();
  const value = String((await request.formData()).get("format") ?? "");
  if (value !== "" && !isEInvoiceFormat(value)) return Response.json({ error: "format must be one of the e-invoice formats or empty" }, { status: 400 });
  await setAccountDefaultFormat({ userId: user.id, ip: context.clientIp ?? null, userAgent: request.headers.get("user-agent") }, account.id, value === "" ? null : value);
  return redirect(`/admin/accounts/${account.id}`);
}

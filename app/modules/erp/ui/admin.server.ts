import type { AppLoadContext } from "@remix-run/node";
import { requireStaff } from "~/modules/access/guards.server";

/** Every ERP admin page: a staff member whose role grants erp.manage (others get 403, contacts 404). */
export async function requireErpAdmin(request: Request, context?: AppLoadContext) {
  const { user } = await requireStaff(request, "erp.manage");
  return { user, actor: { userId: user.id, ip: context?.clientIp ?? null, userAgent: request.headers.get("user-agent") } };
}

/** "field reason; field reason" for a page message. */
export function describeFieldErrors(fieldErrors: Record<string, string>): string {
  return Object.entries(fieldErrors)
    .map(([field, reason]) => `${field} ${reason}`)
    .join("; ");
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { attachmentResponse, getAttachment } from "~/modules/attachments/attachments.server";

/**
 * A file attached to a ticket message or a return request: scoped like its record (another account,
 * another location, a staff-only note: 404). Images open inline, everything else (and ?download=1)
 * downloads under its own name (decision 033).
 */
export const handle = routeAccess({ area: "portal" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const file = await getAttachment(scope, params.attachmentId ?? "");
  if (!file) notFound();
  return attachmentResponse(request, file);
}

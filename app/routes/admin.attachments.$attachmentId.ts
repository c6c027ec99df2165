import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { attachmentResponse, getAttachmentForStaff } from "~/modules/attachments/attachments.server";

/** Staff open any attachment of a ticket (internal notes' included) or return request, as they read those pages (decision 033). */
export const handle = routeAccess({ area: "admin", permission: "accounts.read" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, "accounts.read");
  const file = await getAttachmentForStaff(params.attachmentId ?? "");
  if (!file) notFound();
  return attachmentResponse(request, file);
}

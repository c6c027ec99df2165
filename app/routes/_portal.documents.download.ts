import { Readable } from "node:stream";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { originOf } from "~/modules/documents/access-log.server";
import { BulkRequestSchema, MAX_BULK_DOCUMENTS, getBulkProgress, resolveSelection, streamBulkZip } from "~/modules/documents/bulk-zip.server";
import { selectionFromList } from "~/modules/documents/selection.server";

/**
 * Bulk download. POST the selected documents (ids = "type:uuid", or list + q + state for every
 * result of a list search) → one streaming ZIP with manifest.csv. GET ?job=… reports progress.
 * A POST only for the size of its selection: it reads, so staff viewing as a contact may use it
 * (decision 038); what they download is audited with them as impersonator, as single downloads are.
 */
export const handle = routeAccess({ area: "portal", permission: "documents.read", actionReadsOnly: true });

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "documents.read");
  const job = new URL(request.url).searchParams.get("job");
  const body = job ? { job, progress: getBulkProgress(scope, job) } : { maxDocuments: MAX_BULK_DOCUMENTS };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireContactPermission(request, "documents.read", { readsOnly: true });
  const form = await request.formData();
  const list = form.get("list");
  const ids = list ? await selectionFromList(scope, form) : form.getAll("ids").map(String);
  const parsed = BulkRequestSchema.safeParse({
    ids,
    include: form.get("include") ?? undefined,
    format: form.get("format") ?? undefined,
    job: form.get("job") || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ error: `${issue.path.join(".") || "request"} ${issue.message}` }, { status: 400 });
  }
  const selection = await resolveSelection(scope, parsed.data.ids);
  if (!selection) notFound();
  const stream = streamBulkZip(scope, selection, parsed.data, originOf(scope, request, context.clientIp));
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, "");
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="documents_${stamp}.zip"`,
      "Cache-Control": "no-store",
      "X-Document-Count": String(selection.length),
    },
  });
}

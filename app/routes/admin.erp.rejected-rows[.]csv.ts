import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { getDb } from "~/db/connection.server";
import { routeAccess } from "~/modules/access/route-access";
import { isUuid } from "~/modules/ids";
import { rejectedReportStream } from "~/modules/erp/feeds/csv-report.server";
import { requireErpAdmin } from "~/modules/erp/ui/admin.server";

export const handle = routeAccess({ area: "admin", permission: "erp.manage" });

/** GET /admin/erp/rejected-rows.csv?run=<id>: a run's rejected rows (without run: every open one), streamed. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireErpAdmin(request);
  const runId = new URL(request.url).searchParams.get("run");
  const run = isUuid(runId) ? runId : null;
  const stream = rejectedReportStream(await getDb(), run);
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rejected-${run ? run.slice(0, 8) : "open"}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

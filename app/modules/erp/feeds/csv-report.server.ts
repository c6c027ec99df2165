import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Queryable } from "~/db/db.server";
import { iterateRejected } from "../ingest/dead-letter.server";

/**
 * The rejected rows of a run (or every open rejection) as CSV: line number, ERP id, the reasons
 * ("field: reason; …") and the row exactly as it was read. Streamed page by page.
 */

export const REPORT_COLUMNS = ["line", "entity", "erp_id", "reasons", "raw", "rejected_record_id"];

export function rejectedReportStream(db: Queryable, runId: string | null): Readable {
  const rows = Readable.from(
    (async function* () {
      for await (const r of iterateRejected(db, runId)) {
        yield [
          r.lineNumber ?? "",
          r.entity,
          r.erpId ?? "",
          r.errors.map((e) => `${e.path}: ${e.message}`).join("; "),
          r.rawPayload,
          r.id,
        ];
      }
    })(),
  );
  return rows.pipe(stringify({ header: true, columns: REPORT_COLUMNS, bom: true }));
}

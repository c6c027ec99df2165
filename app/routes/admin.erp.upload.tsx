import { mkdir, unlink } from "node:fs/promises";
import path from "node:path";
import {
  data,
  redirect,
  unstable_composeUploadHandlers,
  unstable_createFileUploadHandler,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/connection.server";
import { routeAccess } from "~/modules/access/route-access";
import { ENTITY_NAMES } from "~/modules/erp/entities/registry";
import { importCsvFile } from "~/modules/erp/feeds/csv-import.server";
import { MappingError, resolveMapping } from "~/modules/erp/feeds/mapping";
import { PRESET_NAMES } from "~/modules/erp/feeds/presets";
import { startRun } from "~/modules/erp/runs.server";
import { requireErpAdmin } from "~/modules/erp/ui/admin.server";

export const handle = routeAccess({ area: "admin", permission: "erp.manage" });

export const meta: MetaFunction = () => [{ title: "CSV upload · ERP · Admin · Ledgerlight" }];

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireErpAdmin(request);
  return { entities: ENTITY_NAMES, presets: PRESET_NAMES };
}

/**
 * Streams the file to disk (constant memory), starts the import in the background and shows its run,
 * which follows the progress. The import is the same as `npm run erp:import`.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireErpAdmin(request);
  if (!/^multipart\/form-data/i.test(request.headers.get("content-type") ?? "")) {
    return data({ message: "Choose a CSV file to upload." }, { status: 400 });
  }
  const directory = path.join(getConfig().dataDir, "uploads");
  await mkdir(directory, { recursive: true });
  let originalName = "upload.csv";
  const form = await unstable_parseMultipartFormData(
    request,
    unstable_composeUploadHandlers(
      unstable_createFileUploadHandler({
        directory,
        maxPartSize: MAX_UPLOAD_BYTES,
        file: ({ filename }) => {
          originalName = path.basename(filename || originalName);
          return `erp-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`;
        },
      }),
      unstable_createMemoryUploadHandler({ maxPartSize: 200_000 }),
    ),
  );
  const file = form.get("file") as (File & { getFilePath?: () => string }) | null;
  const filePath = file && typeof file.getFilePath === "function" ? file.getFilePath() : null;
  const fail = async (message: string) => {
    if (filePath) await unlink(filePath).catch(() => undefined);
    return data({ message }, { status: 400 });
  };
  if (!filePath || !file || file.size === 0) return fail("file is required: choose a CSV file.");
  const entity = String(form.get("entity") ?? "");
  if (!ENTITY_NAMES.includes(entity)) return fail(`entity must be one of ${ENTITY_NAMES.join(", ")}.`);
  const preset = String(form.get("preset") ?? "standard");
  const custom = String(form.get("mapping") ?? "").trim();
  let mapping: unknown = preset;
  try {
    if (custom) mapping = { preset, ...(JSON.parse(custom) as object) };
    resolveMapping(mapping as never, entity);
  } catch (error) {
    return fail(error instanceof MappingError ? error.message : `mapping is not valid JSON: ${(error as Error).message}`);
  }
  const db = await getDb();
  const fileName = originalName;
  const runId = await startRun(db, { source: "csv", entity, fileName, sourceName: fileName, startedBy: user.id, bytesTotal: file.size });
  void importCsvFile({ entity, file: filePath, fileName, mapping: mapping as never, startedBy: user.id, runId })
    .catch((error: Error) => console.error(`CSV import ${runId} failed: ${error.message}`))
    .finally(() => unlink(filePath).catch(() => undefined));
  return redirect(`/admin/erp/runs?run=${runId}`);
}

export default function CsvUpload() {
  const { entities, presets } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <>
      <h1>CSV upload</h1>
      <p className="muted">
        UTF-8 (with or without BOM) or Windows-1252, delimiter found from the header line. Columns named like the fields (lines.quantity for
        a line&apos;s quantity) need no mapping; the German preset reads DATEV-style headers, 1.234,56 and 31.12.2026. One row per line: rows
        of one document follow each other. Same as <code>npm run erp:import</code>.
      </p>
      <FormError message={result?.message} />
      <div className="panel">
        <Form method="post" encType="multipart/form-data">
          <div className="field">
            <label htmlFor="upload-entity">Entity</label>
            <select id="upload-entity" name="entity" defaultValue="invoices">
              {entities.map((e) => (
                <option key={e}>{e}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="upload-file">CSV file</label>
            <input id="upload-file" name="file" type="file" accept=".csv,.txt,text/csv" required />
          </div>
          <div className="field">
            <label htmlFor="upload-preset">Column mapping</label>
            <select id="upload-preset" name="preset" defaultValue="standard">
              {presets.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="upload-mapping">Mapping overrides (JSON, optional)</label>
            <textarea
              id="upload-mapping"
              name="mapping"
              rows={5}
              spellCheck={false}
              style={{ width: "100%", fontFamily: "monospace" }}
              placeholder='{"columns": {"Rechnungsnr.": "number"}, "constants": {"currency": "EUR"}, "numberFormat": "de", "dateFormat": "DD.MM.YYYY"}'
            />
          </div>
          <button type="submit" className="primary" disabled={navigation.state !== "idle"}>
            {navigation.state === "submitting" ? "Uploading…" : "Upload and import"}
          </button>
        </Form>
      </div>
    </>
  );
}

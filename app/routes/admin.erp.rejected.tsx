import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { formatDateTime } from "~/i18n/i18n";
import { getDb } from "~/db/connection.server";
import { routeAccess } from "~/modules/access/route-access";
import { isUuid } from "~/modules/ids";
import { parseForm } from "~/modules/forms";
import { ENTITY_NAMES } from "~/modules/erp/entities/registry";
import { countOpenRejected, discardRejected, getRejected, listRejected } from "~/modules/erp/ingest/dead-letter.server";
import { replayRejected } from "~/modules/erp/ingest/replay.server";
import { describeFieldErrors, requireErpAdmin } from "~/modules/erp/ui/admin.server";

export const handle = routeAccess({ area: "admin", permission: "erp.manage" });

export const meta: MetaFunction = () => [{ title: "Dead letter · ERP · Admin · Ledgerlight" }];

/** /admin/erp/rejected: rejected ERP records; ?id=<id> one of them, to fix and replay or discard. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireErpAdmin(request);
  const url = new URL(request.url);
  const db = await getDb();
  const id = url.searchParams.get("id");
  const entity = url.searchParams.get("entity") || null;
  const showResolved = url.searchParams.get("all") === "1";
  const record = isUuid(id) ? await getRejected(db, id) : null;
  return {
    record,
    records: record ? [] : await listRejected(db, { entity, open: !showResolved, limit: 200 }),
    openCount: await countOpenRejected(db),
    filter: { entity, showResolved },
    entities: ENTITY_NAMES,
  };
}

const DecisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("replay"), id: z.uuid({ error: "is not a rejected record" }), record: z.string().max(1_000_000, "is too long").optional() }),
  z.object({ intent: z.literal("discard"), id: z.uuid({ error: "is not a rejected record" }), note: z.string().trim().max(500, "is too long").default("") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireErpAdmin(request);
  const parsed = parseForm(DecisionSchema, await request.formData());
  if (!parsed.ok) return data({ ok: false, message: describeFieldErrors(parsed.fieldErrors), errors: [] as { path: string; message: string }[] }, { status: 400 });
  const db = await getDb();
  if (parsed.data.intent === "discard") {
    const done = await discardRejected(db, parsed.data.id, user.id, parsed.data.note);
    return data({ ok: done, message: done ? "Discarded." : "It was already resolved.", errors: [] });
  }
  const replay = await replayRejected(db, parsed.data.id, { userId: user.id, editedJson: parsed.data.record });
  if (replay.ok) {
    const r = replay.result;
    return data({ ok: true, message: r.status === "accepted" ? `Applied (${r.action}).` : `Nothing to apply: ${r.reason}.`, errors: [] });
  }
  return data({ ok: false, message: replay.message, errors: replay.result?.errors ?? [] }, { status: 422 });
}

function RecordDetail({ record }: { record: NonNullable<Awaited<ReturnType<typeof loader>>["record"]> }) {
  const result = useActionData<typeof action>();
  const errors = result?.errors?.length ? result.errors : record.errors;
  const json = record.record ? JSON.stringify(record.record, null, 2) : "";
  return (
    <>
      <p>
        <Link to="/admin/erp/rejected">← Dead letter</Link>
      </p>
      <h1>
        {record.entity} {record.erpId ?? ""} <span className="muted">{record.resolution ?? "open"}</span>
      </h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : (
        <FormError message={result?.message} />
      )}
      <div className="panel">
        <p className="muted">
          {record.source}
          {record.lineNumber ? `, line ${record.lineNumber}` : ""} · {formatDateTime("en", record.createdAt)}
          {record.importRunId ? (
            <>
              {" "}
              · <Link to={`/admin/erp/runs?run=${record.importRunId}`}>import run</Link>
            </>
          ) : null}
          {record.replayCount > 0 ? ` · replayed ${record.replayCount}×` : ""}
          {record.resolutionNote ? ` · ${record.resolutionNote}` : ""}
        </p>
        <h2>Reasons</h2>
        <ul data-testid="rejected-reasons">
          {errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
        <h2>As received</h2>
        <pre style={{ whiteSpace: "pre-wrap", maxHeight: 240, overflow: "auto" }}>{record.rawPayload}</pre>
      </div>
      {record.resolvedAt ? null : (
        <div className="panel">
          <h2>Fix and replay</h2>
          <Form method="post">
            <input type="hidden" name="id" value={record.id} />
            <div className="field">
              <label htmlFor="record-json">Record (JSON, the API&apos;s shape)</label>
              <textarea id="record-json" name="record" rows={18} defaultValue={json} spellCheck={false} style={{ width: "100%", fontFamily: "monospace" }} />
            </div>
            <div className="toolbar">
              <button type="submit" name="intent" value="replay" className="primary">
                Replay
              </button>
              <input name="note" placeholder="Why discard (optional)" aria-label="Why discard" maxLength={500} />
              <button type="submit" name="intent" value="discard" className="danger">
                Discard
              </button>
            </div>
          </Form>
        </div>
      )}
    </>
  );
}

export default function DeadLetter() {
  const { record, records, openCount, filter, entities } = useLoaderData<typeof loader>();
  if (record) return <RecordDetail record={record} />;
  return (
    <>
      <h1>
        Dead letter <span className="muted">{openCount} open</span>
      </h1>
      <Form method="get" className="toolbar">
        <select name="entity" defaultValue={filter.entity ?? ""} aria-label="Entity">
          <option value="">All entities</option>
          {entities.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
        <label>
          <input type="checkbox" name="all" value="1" defaultChecked={filter.showResolved} /> include resolved
        </label>
        <button type="submit">Filter</button>
        <a href="/admin/erp/rejected-rows.csv" download>
          Download open as CSV
        </a>
      </Form>
      <div className="panel">
        <table className="grid" data-testid="dead-letter">
          <thead>
            <tr>
              <th>Received</th>
              <th>Entity</th>
              <th>ERP id</th>
              <th>Source</th>
              <th>Reasons</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/admin/erp/rejected?id=${r.id}`}>{formatDateTime("en", r.createdAt)}</Link>
                </td>
                <td>{r.entity}</td>
                <td>{r.erpId ?? ""}</td>
                <td>
                  {r.source}
                  {r.lineNumber ? ` line ${r.lineNumber}` : ""}
                </td>
                <td className="wrap">{r.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}</td>
                <td>{r.resolution ?? "open"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {records.length === 0 ? <p className="muted" style={{ padding: 10 }}>Nothing rejected.</p> : null}
      </div>
    </>
  );
}

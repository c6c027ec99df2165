import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/form";
import { formatDateTime } from "~/i18n/i18n";
import { getDb } from "~/db/connection.server";
import { routeAccess } from "~/modules/access/route-access";
import { isUuid } from "~/modules/ids";
import { parseForm } from "~/modules/forms";
import { scheduleSqlSources } from "~/modules/erp/background.server";
import { ENTITY_NAMES } from "~/modules/erp/entities/registry";
import { runSqlPull, totalCounts } from "~/modules/erp/sql/pull.server";
import {
  createSource,
  deleteQuery,
  deleteSource,
  listSources,
  QueryInputSchema,
  redactUrl,
  resetWatermark,
  saveQuery,
  SOURCE_KINDS,
  SourceInputSchema,
  updateSource,
} from "~/modules/erp/sql/sources.server";
import { describeFieldErrors, requireErpAdmin } from "~/modules/erp/ui/admin.server";

export const handle = routeAccess({ area: "admin", permission: "erp.manage" });

export const meta: MetaFunction = () => [{ title: "SQL sources · ERP · Admin · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireErpAdmin(request);
  const sources = await listSources(await getDb());
  return { sources: sources.map((s) => ({ ...s, connectionUrl: redactUrl(s.connectionUrl) })), entities: ENTITY_NAMES, kinds: SOURCE_KINDS };
}

type Result = { ok: boolean; message: string };

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireErpAdmin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const sourceId = String(form.get("sourceId") ?? "");
  const db = await getDb();
  const reply = (ok: boolean, message: string, status = ok ? 200 : 400) => data<Result>({ ok, message }, { status });
  if (intent === "create-source" || intent === "update-source") {
    if (intent === "update-source" && !String(form.get("connectionUrl") ?? "").trim() && isUuid(sourceId)) {
      const existing = (await listSources(db)).find((x) => x.id === sourceId);
      if (existing) form.set("connectionUrl", existing.connectionUrl); // shown redacted: empty keeps it
    }
    const parsed = parseForm(SourceInputSchema, form);
    if (!parsed.ok) return reply(false, describeFieldErrors(parsed.fieldErrors));
    if (intent === "create-source") await createSource(db, parsed.data, user.id);
    else if (!isUuid(sourceId) || !(await updateSource(db, sourceId, parsed.data))) return reply(false, "No such source.", 404);
    await scheduleSqlSources();
    return reply(true, `Saved ${parsed.data.name}.`);
  }
  if (!isUuid(sourceId)) return reply(false, "intent must be create-source, update-source, save-query, delete-query, reset, pull or delete-source with a sourceId");
  if (intent === "save-query") {
    const parsed = parseForm(QueryInputSchema, form);
    if (!parsed.ok) return reply(false, describeFieldErrors(parsed.fieldErrors));
    await saveQuery(db, sourceId, parsed.data);
    return reply(true, `Saved the ${parsed.data.entity} query.`);
  }
  if (intent === "delete-query") {
    await deleteQuery(db, sourceId, String(form.get("entity") ?? ""));
    return reply(true, "Query removed.");
  }
  if (intent === "reset") {
    const entity = String(form.get("entity") ?? "") || null;
    await resetWatermark(db, sourceId, entity);
    return reply(true, `The next pull${entity ? ` of ${entity}` : ""} reads everything again.`);
  }
  if (intent === "delete-source") {
    await deleteSource(db, sourceId);
    await scheduleSqlSources();
    return reply(true, "Source removed; its import runs stay in the history.");
  }
  if (intent === "pull") {
    // A pull can take long: it runs on (queued behind a running one); its runs show in the history.
    void runSqlPull(sourceId, { startedBy: user.id, trigger: "manual" }).then((result) => {
      const c = totalCounts(result);
      if (result.status !== "succeeded") console.error(`ERP SQL pull ${sourceId} ${result.status}: ${result.message} (inserted ${c.inserted}, updated ${c.updated})`);
    });
    return reply(true, "Pull started: its import runs appear under History as they go.");
  }
  return reply(false, "intent must be create-source, update-source, save-query, delete-query, reset, pull or delete-source");
}

function SourceFields({ id, source, kinds }: { id: string; source?: { name: string; kind: string; schedule: string | null; enabled: boolean; batchSize: number }; kinds: readonly string[] }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} name="name" required maxLength={100} defaultValue={source?.name} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-kind`}>Database</label>
        <select id={`${id}-kind`} name="kind" defaultValue={source?.kind ?? "mysql"}>
          {kinds.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-url`}>Connection URL{source ? " (empty: keep)" : ""}</label>
        <input id={`${id}-url`} name="connectionUrl" required={!source} placeholder="mysql://erp_reader:…@erp-db:3306/erp or env:ERP_DB_URL" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-schedule`}>Schedule (cron, empty: on demand)</label>
        <input id={`${id}-schedule`} name="schedule" defaultValue={source?.schedule ?? ""} placeholder="*/15 * * * *" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-batch`}>Records per batch</label>
        <input id={`${id}-batch`} name="batchSize" type="number" min={1} max={10000} defaultValue={source?.batchSize ?? 500} />
      </div>
      <label>
        <input type="checkbox" name="enabled" defaultChecked={source?.enabled ?? true} /> enabled
      </label>
    </>
  );
}

export default function SqlSources() {
  const { sources, entities, kinds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>SQL sources</h1>
      <p className="muted">
        One query per entity returns our field names (<code>lines.sku</code> for a document&apos;s lines, one row per line) and a watermark
        column, <code>ORDER BY</code> the watermark; <code>:since</code> is the last good watermark (NULL on the first pull). Write{" "}
        <code>&gt;= :since</code> when rows can share a watermark. A failed pull resumes where it stopped.
      </p>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : (
        <FormError message={result?.message} />
      )}
      {sources.map((s) => (
        <div className="panel" key={s.id} data-testid="sql-source">
          <h2>
            {s.name} <span className="muted">{s.kind} · {s.connectionUrl} · {s.schedule ?? "on demand"} · {s.enabled ? "enabled" : "disabled"}{s.running ? " · running" : ""}</span>
          </h2>
          <div className="toolbar">
            <Form method="post">
              <input type="hidden" name="sourceId" value={s.id} />
              <button type="submit" name="intent" value="pull" className="primary">
                Pull now
              </button>
            </Form>
            <Link to={`/admin/erp/runs?name=${encodeURIComponent(s.name)}&source=sql`}>History</Link>
            <Form method="post">
              <input type="hidden" name="sourceId" value={s.id} />
              <button type="submit" name="intent" value="reset">
                Full pull next time
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="sourceId" value={s.id} />
              <button type="submit" name="intent" value="delete-source" className="danger">
                Remove
              </button>
            </Form>
          </div>
          <table className="grid">
            <thead>
              <tr>
                <th>Entity</th>
                <th>Query</th>
                <th>Watermark</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {s.queries.map((q) => (
                <tr key={q.id}>
                  <td>{q.entity}</td>
                  <td className="wrap">
                    <pre style={{ whiteSpace: "pre-wrap", margin: 0 }}>{q.query}</pre>
                  </td>
                  <td>
                    {q.watermark ?? <span className="muted">none (full pull)</span>}
                    {q.watermarkUpdatedAt ? <div className="muted">{formatDateTime("en", q.watermarkUpdatedAt)}</div> : null}
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="sourceId" value={s.id} />
                      <input type="hidden" name="entity" value={q.entity} />
                      <button type="submit" name="intent" value="delete-query" className="danger">
                        Remove
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>Add or replace a query</summary>
            <Form method="post">
              <input type="hidden" name="sourceId" value={s.id} />
              <div className="field">
                <label htmlFor={`query-entity-${s.id}`}>Entity</label>
                <select id={`query-entity-${s.id}`} name="entity">
                  {entities.map((e) => (
                    <option key={e}>{e}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`query-text-${s.id}`}>Query</label>
                <textarea id={`query-text-${s.id}`} name="query" rows={8} required spellCheck={false} style={{ width: "100%", fontFamily: "monospace" }} />
              </div>
              <div className="field">
                <label htmlFor={`query-watermark-${s.id}`}>Watermark column</label>
                <input id={`query-watermark-${s.id}`} name="watermarkColumn" defaultValue="watermark" />
              </div>
              <button type="submit" name="intent" value="save-query">
                Save query
              </button>
            </Form>
          </details>
          <details>
            <summary>Settings</summary>
            <Form method="post">
              <input type="hidden" name="sourceId" value={s.id} />
              <SourceFields id={`source-${s.id}`} source={s} kinds={kinds} />
              <button type="submit" name="intent" value="update-source">
                Save
              </button>
            </Form>
          </details>
        </div>
      ))}
      <div className="panel">
        <h2>New source</h2>
        <Form method="post">
          <SourceFields id="new-source" kinds={kinds} />
          <button type="submit" name="intent" value="create-source" className="primary">
            Add source
          </button>
        </Form>
      </div>
    </>
  );
}

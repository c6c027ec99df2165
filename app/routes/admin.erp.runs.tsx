import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { formatDateTime } from "~/i18n/i18n";
import { getDb } from "~/db/connection.server";
import { routeAccess } from "~/modules/access/route-access";
import { isUuid } from "~/modules/ids";
import { listRejected } from "~/modules/erp/ingest/dead-letter.server";
import { getRun, listRunSources, listRuns, type RunRow } from "~/modules/erp/runs.server";
import { requireErpAdmin } from "~/modules/erp/ui/admin.server";

export const handle = routeAccess({ area: "admin", permission: "erp.manage" });

export const meta: MetaFunction = () => [{ title: "Import runs · ERP · Admin · Ledgerlight" }];

/** /admin/erp/runs: the history per source; ?run=<id> one run with its progress and rejected rows. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireErpAdmin(request);
  const url = new URL(request.url);
  const db = await getDb();
  const runId = url.searchParams.get("run");
  const source = url.searchParams.get("source") || null;
  const sourceName = url.searchParams.get("name") || null;
  const run = isUuid(runId) ? await getRun(db, runId) : null;
  return {
    run,
    rejected: run ? await listRejected(db, { runId: run.id, limit: 50 }) : [],
    runs: run ? [] : await listRuns(db, { source, sourceName, limit: 200 }),
    sources: await listRunSources(db),
    filter: { source, sourceName },
  };
}

function seconds(ms: number | null): string {
  if (ms === null) return "";
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function status(run: Pick<RunRow, "status" | "interrupted">): string {
  return run.interrupted ? "interrupted" : run.status;
}

function RunDetail({ run, rejected }: { run: RunRow; rejected: Awaited<ReturnType<typeof loader>>["rejected"] }) {
  const revalidator = useRevalidator();
  const live = run.status === "running" && !run.interrupted;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [live, revalidator]);
  const share = run.bytesTotal ? Math.min(1, run.bytesRead / run.bytesTotal) : run.status === "running" ? 0 : 1;
  return (
    <>
      <p>
        <Link to="/admin/erp/runs">← Import runs</Link>
      </p>
      <h1>
        {run.source.toUpperCase()} {run.entity} <span className="muted">{run.sourceName ?? run.fileName}</span>
      </h1>
      <div className="panel" data-testid="run-detail">
        <p>
          <strong>{status(run)}</strong> · started {formatDateTime("en", run.startedAt)} · {seconds(run.durationMs)}
        </p>
        {run.bytesTotal ? (
          <p>
            <progress value={share} max={1} aria-label="Progress" style={{ width: "100%" }} />
            <span className="muted">
              {(share * 100).toFixed(0)} % · {run.rowsRead.toLocaleString("en")} rows read
            </span>
          </p>
        ) : null}
        <p>
          inserted {run.inserted} · updated {run.updated} · unchanged {run.unchanged} · deleted {run.deleted} · rejected {run.rejected}
        </p>
        {run.error ? <p className="form-error">{run.error}</p> : null}
        {Object.keys(run.details).length > 0 ? <pre className="muted">{JSON.stringify(run.details, null, 2)}</pre> : null}
        {run.rejected > 0 ? (
          <p>
            <a href={`/admin/erp/rejected-rows.csv?run=${run.id}`} download>
              Download the rejected rows (CSV, with line numbers and reasons)
            </a>
          </p>
        ) : null}
      </div>
      {rejected.length > 0 ? (
        <div className="panel">
          <h2>Rejected</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>Line</th>
                <th>ERP id</th>
                <th>Reasons</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((r) => (
                <tr key={r.id}>
                  <td className="num">{r.lineNumber ?? ""}</td>
                  <td>
                    <Link to={`/admin/erp/rejected?id=${r.id}`}>{r.erpId ?? "(none)"}</Link>
                  </td>
                  <td className="wrap">{r.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}</td>
                  <td>{r.resolution ?? "open"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

export default function ImportRuns() {
  const { run, rejected, runs, sources, filter } = useLoaderData<typeof loader>();
  if (run) return <RunDetail run={run} rejected={rejected} />;
  return (
    <>
      <h1>Import runs</h1>
      <Form method="get" className="toolbar">
        <select name="source" defaultValue={filter.source ?? ""} aria-label="Source">
          <option value="">All sources</option>
          {["api", "csv", "sql", "replay"].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select name="name" defaultValue={filter.sourceName ?? ""} aria-label="Name">
          <option value="">Any key, file or database</option>
          {sources
            .filter((s) => s.sourceName)
            .map((s) => (
              <option key={`${s.source}:${s.sourceName}`} value={s.sourceName}>
                {s.source}: {s.sourceName}
              </option>
            ))}
        </select>
        <button type="submit">Filter</button>
      </Form>
      <div className="panel">
        <table className="grid" data-testid="import-runs">
          <thead>
            <tr>
              <th>Started</th>
              <th>Source</th>
              <th>Entity</th>
              <th>Status</th>
              <th className="num">Inserted</th>
              <th className="num">Updated</th>
              <th className="num">Unchanged</th>
              <th className="num">Rejected</th>
              <th className="num">Duration</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/admin/erp/runs?run=${r.id}`}>{formatDateTime("en", r.startedAt)}</Link>
                </td>
                <td>
                  {r.source} <span className="muted">{r.sourceName ?? r.fileName ?? ""}</span>
                </td>
                <td>{r.entity}</td>
                <td>{status(r)}</td>
                <td className="num">{r.inserted}</td>
                <td className="num">{r.updated}</td>
                <td className="num">{r.unchanged}</td>
                <td className="num">{r.rejected > 0 ? <Link to={`/admin/erp/runs?run=${r.id}`}>{r.rejected}</Link> : 0}</td>
                <td className="num">{seconds(r.durationMs)}</td>
                <td className="wrap">{r.error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {runs.length === 0 ? <p className="muted" style={{ padding: 10 }}>No import runs yet.</p> : null}
      </div>
    </>
  );
}

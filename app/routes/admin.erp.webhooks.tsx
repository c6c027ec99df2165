import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/form";
import { formatDateTime } from "~/i18n/i18n";
import { getDb } from "~/db/connection.server";
import { routeAccess } from "~/modules/access/route-access";
import { isUuid } from "~/modules/ids";
import { parseForm } from "~/modules/forms";
import { retryDelivery } from "~/modules/webhooks/dispatch.server";
import { createEndpoint, deleteEndpoint, EndpointInputSchema, EVENT_TYPES, listEndpoints, rotateEndpointSecret, updateEndpoint } from "~/modules/webhooks/endpoints.server";
import { listDeliveries } from "~/modules/webhooks/events.server";
import { describeFieldErrors, requireErpAdmin } from "~/modules/erp/ui/admin.server";

export const handle = routeAccess({ area: "admin", permission: "erp.manage" });

export const meta: MetaFunction = () => [{ title: "Webhooks · ERP · Admin · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireErpAdmin(request);
  const status = new URL(request.url).searchParams.get("status") || null;
  const db = await getDb();
  return { endpoints: await listEndpoints(db), deliveries: await listDeliveries(db, { status, limit: 100 }), status, eventTypes: EVENT_TYPES };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireErpAdmin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  const db = await getDb();
  const reply = (ok: boolean, message: string) => data({ ok, message }, { status: ok ? 200 : 400 });
  if (intent === "create" || intent === "update") {
    const parsed = parseForm(EndpointInputSchema, form);
    if (!parsed.ok) return reply(false, describeFieldErrors(parsed.fieldErrors));
    if (intent === "create") {
      await createEndpoint(db, parsed.data, user.id);
      return reply(true, `Added ${parsed.data.name}. Configure its receiver with the secret shown below.`);
    }
    return reply(isUuid(id) && (await updateEndpoint(db, id, parsed.data)), "Saved.");
  }
  if (!isUuid(id)) return reply(false, "intent must be create, update, rotate, delete or retry with an id");
  if (intent === "rotate") return reply((await rotateEndpointSecret(db, id)) !== null, "New secret: update the receiver now, deliveries are signed with it from here on.");
  if (intent === "delete") return reply(await deleteEndpoint(db, id), "Endpoint removed with its delivery log.");
  if (intent === "retry") {
    const retried = await retryDelivery(db, id);
    if (retried === "sending") return reply(false, "This delivery is being sent right now; its outcome shows here in a moment.");
    return reply(retried === "queued", retried === "queued" ? "Queued for delivery now." : "No such delivery waiting: it was delivered or removed.");
  }
  return reply(false, "intent must be create, update, rotate, delete or retry");
}

export default function Webhooks() {
  const { endpoints, deliveries, status, eventTypes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Webhooks</h1>
      <p className="muted">
        Portal events for the ERP ({eventTypes.join(", ")}), POSTed as JSON and signed: <code>Ledgerlight-Signature: t=…,v1=…</code> is the
        HMAC-SHA256 of <code>&lt;t&gt;.&lt;body&gt;</code> with the endpoint&apos;s secret. Failed deliveries are retried with backoff;
        receivers deduplicate by <code>Ledgerlight-Event-Id</code>.
      </p>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : (
        <FormError message={result?.message} />
      )}
      <div className="panel">
        <table className="grid" data-testid="webhook-endpoints">
          <thead>
            <tr>
              <th>Endpoint</th>
              <th>Events</th>
              <th>Secret</th>
              <th className="num">Pending</th>
              <th className="num">Failed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr key={e.id}>
                <td>
                  {e.name} {e.enabled ? null : <span className="muted">(disabled)</span>}
                  <div className="muted">{e.url}</div>
                </td>
                <td>{e.events.join(", ")}</td>
                <td>
                  <details>
                    <summary>Show</summary>
                    <code style={{ userSelect: "all" }}>{e.secret}</code>
                  </details>
                </td>
                <td className="num">{e.pending}</td>
                <td className="num">{e.failed}</td>
                <td>
                  <Form method="post" className="toolbar" style={{ margin: 0 }}>
                    <input type="hidden" name="id" value={e.id} />
                    <input type="hidden" name="name" value={e.name} />
                    <input type="hidden" name="url" value={e.url} />
                    <input type="hidden" name="events" value={e.events.join(",")} />
                    {e.enabled ? null : <input type="hidden" name="enabled" value="on" />}
                    <button type="submit" name="intent" value="update">
                      {e.enabled ? "Disable" : "Enable"}
                    </button>
                    <button type="submit" name="intent" value="rotate">
                      New secret
                    </button>
                    <button type="submit" name="intent" value="delete" className="danger">
                      Remove
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {endpoints.length === 0 ? <p className="muted" style={{ padding: 10 }}>No endpoints yet.</p> : null}
      </div>
      <div className="panel">
        <h2>New endpoint</h2>
        <Form method="post" className="inline-form">
          <div className="field">
            <label htmlFor="hook-name">Name</label>
            <input id="hook-name" name="name" required maxLength={100} placeholder="ERP" />
          </div>
          <div className="field">
            <label htmlFor="hook-url">URL</label>
            <input id="hook-url" name="url" type="url" required placeholder="https://erp.example.com/ledgerlight/events" />
          </div>
          <div className="field">
            <label htmlFor="hook-events">Events</label>
            <input id="hook-events" name="events" defaultValue="contact.*, einvoice.downloaded" />
          </div>
          <input type="hidden" name="enabled" value="on" />
          <button type="submit" name="intent" value="create" className="primary">
            Add endpoint
          </button>
        </Form>
      </div>
      <h2>Delivery log</h2>
      <Form method="get" className="toolbar">
        <select name="status" defaultValue={status ?? ""} aria-label="Status">
          <option value="">All</option>
          <option value="pending">pending</option>
          <option value="succeeded">succeeded</option>
          <option value="failed">failed</option>
        </select>
        <button type="submit">Filter</button>
      </Form>
      <div className="panel">
        <table className="grid" data-testid="webhook-deliveries">
          <thead>
            <tr>
              <th>Created</th>
              <th>Event</th>
              <th>Endpoint</th>
              <th>Status</th>
              <th className="num">Attempts</th>
              <th>Last answer</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime("en", d.createdAt)}</td>
                <td>
                  {d.type}
                  <details>
                    <summary className="muted">{d.eventId.slice(0, 8)}</summary>
                    <pre style={{ whiteSpace: "pre-wrap" }}>{d.payload ?? "(built at the first attempt)"}</pre>
                    <ul>
                      {d.log.map((a) => (
                        <li key={a.attempt}>
                          #{a.attempt} {formatDateTime("en", a.at)}: {a.statusCode ?? "no answer"} {a.error ?? ""} ({a.durationMs} ms)
                        </li>
                      ))}
                    </ul>
                  </details>
                </td>
                <td>{d.endpoint}</td>
                <td>
                  {d.status}
                  {d.status === "pending" && d.attempts > 0 ? <div className="muted">next {formatDateTime("en", d.nextAttemptAt)}</div> : null}
                </td>
                <td className="num">{d.attempts}</td>
                <td>{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : "")}</td>
                <td>
                  {d.status === "succeeded" ? null : (
                    <Form method="post" style={{ margin: 0 }}>
                      <input type="hidden" name="id" value={d.id} />
                      <button type="submit" name="intent" value="retry">
                        Retry now
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {deliveries.length === 0 ? <p className="muted" style={{ padding: 10 }}>No deliveries yet.</p> : null}
      </div>
    </>
  );
}

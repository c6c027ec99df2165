import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getConfig } from "~/config.server";
import { requireStaff } from "~/modules/access/guards.server";
import { listOutbox } from "~/modules/mail/mailer.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "admin", permission: "outbox.read" });

export const meta: MetaFunction = () => [{ title: "Outbox · Admin · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "outbox.read");
  return { smtpConfigured: Boolean(getConfig().SMTP_URL), messages: await listOutbox() };
}

export default function Outbox() {
  const { smtpConfigured, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Outbox</h1>
      <p className="muted">
        {smtpConfigured
          ? "SMTP_URL is set: mail goes out through SMTP. Files below were written before it was configured."
          : "SMTP_URL is not set: mail is written to .data/outbox/ instead of being sent. Newest first."}
      </p>
      <div className="panel">
        <table className="grid" data-testid="outbox-table">
          <thead>
            <tr>
              <th>Date</th>
              <th>To</th>
              <th>Subject</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.file}>
                <td>{m.date ? new Date(m.date).toLocaleString("en-GB") : ""}</td>
                <td>{m.to}</td>
                <td>{m.subject}</td>
                <td className="wrap">
                  <details>
                    <summary>Show</summary>
                    <pre style={{ whiteSpace: "pre-wrap" }}>{m.text}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {messages.length === 0 ? <p className="muted" style={{ padding: 10 }}>No mail written yet.</p> : null}
      </div>
    </>
  );
}

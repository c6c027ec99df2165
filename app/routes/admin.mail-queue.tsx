import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActionMessage, FilterSelect } from "~/components/form";
import { formatDateTime } from "~/i18n/i18n";
import { getDb } from "~/db/connection.server";
import { requireStaff } from "~/modules/access/guards.server";
import { staffCan } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { retryMailFromForm } from "~/modules/mail/admin.server";
import { MailStatusBadge } from "~/modules/mail/components/MailStatus";
import { listMailQueue, MAX_MAIL_ATTEMPTS } from "~/modules/mail/queue.server";

export const handle = routeAccess({ area: "admin", permission: "outbox.read", actionPermission: "mail.retry" });

export const meta: MetaFunction = () => [{ title: "Mail queue · Admin · Ledgerlight" }];

const STATUSES = ["pending", "sent", "failed"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request, "outbox.read");
  const wanted = new URL(request.url).searchParams.get("status");
  const status = (STATUSES as readonly string[]).includes(wanted ?? "") ? wanted : null;
  const { rows, counts } = await listMailQueue(await getDb(), { status });
  return { mails: rows, counts, status, canRetry: staffCan(user.staffRole, "mail.retry"), maxAttempts: MAX_MAIL_ATTEMPTS };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return retryMailFromForm(request, context);
}

export default function MailQueue() {
  const { mails, counts, status, canRetry, maxAttempts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Mail queue</h1>
      <p className="muted">
        Notification mails about tickets and returns, queued with the change that caused them and sent in the background. A refused mail is tried
        again with growing pauses, up to {maxAttempts} attempts over about seven hours; then it stays failed until retried here. Open a subject to read the mail. Invitations and
        password resets are sent at once and do not show here; without <code>SMTP_URL</code> sent mails are in the <Link to="/admin/outbox">outbox</Link>.
      </p>
      <ActionMessage result={result} />
      <FilterSelect id="mail-status" name="status" label="Status" defaultValue={status ?? ""}>
        <option value="">All ({(counts.pending ?? 0) + (counts.sent ?? 0) + (counts.failed ?? 0)})</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s} ({counts[s] ?? 0})
          </option>
        ))}
      </FilterSelect>
      <div className="panel">
        {mails.length === 0 ? <p className="muted panel-empty">No mails{status ? ` ${status}` : ""}.</p> : null}
        <table className="grid" hidden={mails.length === 0} data-testid="mail-queue">
          <thead>
            <tr>
              <th>Queued</th>
              <th>About</th>
              <th>To</th>
              <th>Subject</th>
              <th>Status</th>
              <th className="num">Attempts</th>
              <th>Last error</th>
              {canRetry ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {mails.map((m) => (
              <tr key={m.id}>
                <td>{formatDateTime("en", m.createdAt)}</td>
                <td>
                  {m.reference} <span className="muted">{m.kind}</span>
                </td>
                <td>{m.recipient}</td>
                <td className="wrap">
                  <Link to={`/admin/mail-queue/${m.id}`} aria-label={`Read the mail to ${m.recipient} about ${m.reference}: ${m.subject}`}>
                    {m.subject}
                  </Link>
                </td>
                <td>
                  <MailStatusBadge status={m.status} />
                  {m.status === "sent" && m.sentAt ? <div className="muted">{formatDateTime("en", m.sentAt)}</div> : null}
                  {m.status === "pending" && m.attempts > 0 ? <div className="muted">next {formatDateTime("en", m.nextAttemptAt)}</div> : null}
                </td>
                <td className="num">{m.attempts}</td>
                <td className="wrap">{m.lastError ?? ""}</td>
                {canRetry ? (
                  <td>
                    {m.status === "failed" ? (
                      <Form method="post" style={{ margin: 0 }}>
                        <input type="hidden" name="id" value={m.id} />
                        <button type="submit" name="intent" value="retry" aria-label={`Retry the mail to ${m.recipient} about ${m.reference}`}>
                          Retry
                        </button>
                      </Form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ActionMessage } from "~/components/form";
import { formatDateTime } from "~/i18n/i18n";
import { getDb } from "~/db/connection.server";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { staffCan } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { retryMailFromForm } from "~/modules/mail/admin.server";
import { MailStatusBadge } from "~/modules/mail/components/MailStatus";
import { getQueuedMail, MAX_MAIL_ATTEMPTS } from "~/modules/mail/queue.server";

/**
 * One queued notification mail with its text, for the staff who read the queue (decision 037): what a
 * failed mail said before retrying it. Not audited, as staff reads of the tickets and returns the text
 * comes from are not; the text is plain (no HTML part is ever queued) and React escapes it.
 */
export const handle = routeAccess({ area: "admin", permission: "outbox.read", actionPermission: "mail.retry" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Mail about ${data?.mail.reference ?? "…"} · Admin · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request, "outbox.read");
  const mail = await getQueuedMail(await getDb(), params.mailId ?? "");
  if (!mail) notFound();
  return { mail, canRetry: staffCan(user.staffRole, "mail.retry"), maxAttempts: MAX_MAIL_ATTEMPTS };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return retryMailFromForm(request, context, params.mailId ?? "");
}

export default function QueuedMail() {
  const { mail: m, canRetry, maxAttempts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const sending = m.claimedUntil !== null && new Date(m.claimedUntil) > new Date();
  return (
    <>
      <p>
        <Link to="/admin/mail-queue">← Mail queue</Link>
      </p>
      <h1>
        Mail about {m.reference} <MailStatusBadge status={m.status} />
      </h1>
      <ActionMessage result={result} />
      <div className="panel">
        <dl className="facts" data-testid="mail-facts">
          <dt>To</dt>
          <dd>
            {m.recipient} <span className="muted">({m.language})</span>
          </dd>
          <dt>Subject</dt>
          <dd className="wrap-text">{m.subject}</dd>
          <dt>About</dt>
          <dd>
            {m.reference} <span className="muted">{m.kind}</span>
          </dd>
          <dt>Queued</dt>
          <dd>{formatDateTime("en", m.createdAt)}</dd>
          {m.sentAt ? (
            <>
              <dt>Sent</dt>
              <dd>{formatDateTime("en", m.sentAt)}</dd>
            </>
          ) : null}
          {m.status === "pending" ? (
            <>
              <dt>Next attempt</dt>
              <dd>{sending ? "being sent now" : formatDateTime("en", m.nextAttemptAt)}</dd>
            </>
          ) : null}
          <dt>Attempts</dt>
          <dd>
            {m.attempts} of {maxAttempts}
          </dd>
          <dt>Last error</dt>
          <dd className="wrap-text" data-testid="mail-last-error">
            {m.lastError ?? "–"}
          </dd>
          <dt>Message-ID</dt>
          <dd className="wrap-text">
            <code>{m.messageId}</code>
          </dd>
        </dl>
        {canRetry && m.status === "failed" ? (
          <Form method="post" className="mail-retry">
            <p className="form-actions">
              <button type="submit" name="intent" value="retry" disabled={busy}>
                Retry
              </button>
              <span className="muted">One more attempt now; failed again if the server still refuses it.</span>
            </p>
          </Form>
        ) : null}
      </div>
      <section className="panel">
        <h2>Text</h2>
        <pre className="mail-text" data-testid="mail-text">
          {m.body}
        </pre>
      </section>
    </>
  );
}

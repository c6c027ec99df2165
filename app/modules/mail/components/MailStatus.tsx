import type { MailQueueRow } from "../queue.server";

const TONE: Record<MailQueueRow["status"], string> = { pending: "warn", sent: "ok", failed: "danger" };

/** A queued mail's status as the queue and a mail's page show it: failed in red, pending in amber. */
export function MailStatusBadge({ status }: { status: MailQueueRow["status"] }) {
  return <span className={`badge ${TONE[status]}`}>{status}</span>;
}

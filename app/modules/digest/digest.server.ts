import { Cron } from "croner";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/connection.server";
import type { Db, Queryable } from "~/db/db.server";
import { codeLabel, formatCount, formatDate, formatMoney, translate, type Language } from "~/i18n/i18n";
import { contactCan } from "~/modules/access/permissions";
import { buildScope, scopeFilter, type Scope } from "~/modules/access/scope.server";
import { DOCUMENT_TYPE_LABELS } from "~/modules/documents/type-labels";
import { queueMails } from "~/modules/mail/queue.server";
import type { DigestFrequency } from "~/modules/preferences/schemas";
import { getSupplierSettings, supplierDisplayName } from "~/modules/supplier/supplier.server";

/**
 * The digest of new documents (decision 039): per membership a contact chose daily or weekly on
 * /settings; a job in the portal process finds the digests that are due, reads what arrived since
 * the last one through the contact's scope (account, subsidiaries, location restriction, role) and
 * queues one mail per contact and account in the durable mail queue (decision 032).
 */

/** At most this many documents are listed in a mail; the counts cover all of them. */
export const DIGEST_ITEM_LIMIT = 10;

/**
 * A digest covers documents up to this long before it runs: created_at is the start of the ERP's
 * ingest transaction, which may commit a little later; a window ending "now" could miss those rows
 * for good. The next digest picks them up instead.
 */
export const DIGEST_SETTLE_MINUTES = 10;

/** How often the job looks for due digests. A daily digest goes out within this of its hour. */
export const DIGEST_SCHEDULE = "*/15 * * * *";

export const DIGEST_TYPES = ["invoice", "credit_note", "shipment", "order_confirmation", "quote"] as const;
export type DigestType = (typeof DIGEST_TYPES)[number];

export interface NewDocument {
  type: DigestType;
  id: string;
  number: string;
  /** 'YYYY-MM-DD': the issue date, for a shipment the day it shipped (or arrived in the portal). */
  date: string;
  currency: string | null;
  amount: string | null;
  status: string | null;
  /** The portal page that shows it. */
  path: string;
}

export interface NewDocuments {
  counts: Record<DigestType, number>;
  /** Newest first, at most DIGEST_ITEM_LIMIT. */
  items: NewDocument[];
  total: number;
}

/**
 * The documents that arrived in the portal (created_at) within `window` and that `scope` sees: the
 * same scope filter as the lists, and invoices and credit notes only for roles with invoices.read.
 * Counted in SQL, only the newest sent back: an ERP batch may bring hundreds.
 */
export async function listNewDocuments(scope: Scope, db: Queryable, window: { since: Date; until: Date }): Promise<NewDocuments> {
  const i = scopeFilter(scope, "i", 3);
  const s = scopeFilter(scope, "s", 3);
  const c = scopeFilter(scope, "c", 3);
  const q = scopeFilter(scope, "q", 3);
  const seesMoney = contactCan(scope.role, "invoices.read");
  const arrived = (alias: string) => `${alias}.created_at > $1 AND ${alias}.created_at <= $2`;
  // The four filters number their parameters alike ($3, $4), so one parameter list serves all.
  const { rows } = await db.query<Omit<NewDocument, "path"> & { pathId: string } & Record<DigestType, number>>(
    `SELECT type, id, number, date, currency, amount, status, "pathId",
            count(*) FILTER (WHERE type = 'invoice') OVER () AS invoice,
            count(*) FILTER (WHERE type = 'credit_note') OVER () AS credit_note,
            count(*) FILTER (WHERE type = 'shipment') OVER () AS shipment,
            count(*) FILTER (WHERE type = 'order_confirmation') OVER () AS order_confirmation,
            count(*) FILTER (WHERE type = 'quote') OVER () AS quote
       FROM (
       SELECT i.kind AS type, i.id, i.number, i.issue_date AS date, i.currency::text AS currency, i.gross_amount::text AS amount,
              i.status, i.id AS "pathId", i.created_at AS at
         FROM invoices i WHERE ${i.sql} AND ${arrived("i")} AND ${seesMoney}
       UNION ALL
       SELECT 'shipment', s.id, s.number, coalesce(s.shipped_at, s.created_at)::date, NULL, NULL, s.status, s.id, s.created_at
         FROM shipments s WHERE ${s.sql} AND ${arrived("s")}
       UNION ALL
       SELECT 'order_confirmation', c.id, c.number, c.issue_date, c.currency::text, c.gross_amount::text, NULL, c.sales_order_id, c.created_at
         FROM order_confirmations c WHERE ${c.sql} AND ${arrived("c")}
       UNION ALL
       SELECT 'quote', q.id, q.number, q.issue_date, q.currency::text, q.gross_amount::text, q.status, q.id, q.created_at
         FROM quotes q WHERE ${q.sql} AND ${arrived("q")}
     ) docs ORDER BY at DESC, number DESC LIMIT ${DIGEST_ITEM_LIMIT}`,
    [window.since, window.until, ...i.params],
  );
  const counts = Object.fromEntries(DIGEST_TYPES.map((type) => [type, Number(rows[0]?.[type] ?? 0)])) as Record<DigestType, number>;
  return {
    counts,
    total: DIGEST_TYPES.reduce((sum, type) => sum + counts[type], 0),
    items: rows.map(({ type, id, number, date, currency, amount, status, pathId }) => ({
      type, id, number, date, currency, amount, status, path: documentPagePath(type, pathId),
    })),
  };
}

/** Where the portal shows each type; an order confirmation is shown on its order's page. */
function documentPagePath(type: DigestType, id: string): string {
  switch (type) {
    case "invoice":
    case "credit_note":
      return `/invoices/${id}`;
    case "shipment":
      return `/shipments/${id}`;
    case "order_confirmation":
      return `/orders/${id}`;
    case "quote":
      return `/quotes/${id}`;
  }
}

interface Claimed {
  membershipId: string;
  frequency: Exclude<DigestFrequency, "off">;
  since: Date;
  until: Date;
}

/**
 * Claims one due digest and moves it on, in the caller's transaction: the row stays locked until the
 * mail is queued and both commit together. A second process skips the locked row and, once it is
 * committed, no longer finds it due, so a contact never gets one digest twice.
 */
async function claimDueDigest(tx: Queryable, at: Date): Promise<Claimed | null> {
  const { rows } = await tx.query<Claimed>(
    `WITH due AS (
       SELECT membership_id, covered_until FROM contact_digests
        WHERE covered_until <= $1::timestamptz - CASE frequency WHEN 'weekly' THEN interval '7 days' ELSE interval '1 day' END
        ORDER BY covered_until LIMIT 1 FOR UPDATE SKIP LOCKED)
     UPDATE contact_digests d SET covered_until = $1::timestamptz - make_interval(mins => $2::int), updated_at = now()
       FROM due WHERE d.membership_id = due.membership_id
     RETURNING d.membership_id AS "membershipId", d.frequency, due.covered_until AS since, d.covered_until AS until`,
    [at, DIGEST_SETTLE_MINUTES],
  );
  return rows[0] ?? null;
}

interface Recipient {
  id: string;
  email: string;
  name: string;
  language: Language;
  accountId: string;
  accountName: string;
  accountNumber: string;
}

/** The digest's contact while they may still sign in (active contact); null otherwise. */
async function loadRecipient(tx: Queryable, membershipId: string): Promise<Recipient | null> {
  const { rows } = await tx.query<Recipient>(
    `SELECT u.id, u.email, u.name, u.language, a.id AS "accountId", a.name AS "accountName", a.number AS "accountNumber"
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id
      WHERE m.id = $1 AND u.kind = 'contact' AND u.status = 'active'`,
    [membershipId],
  );
  return rows[0] ?? null;
}

const link = (path: string) => `${getConfig().publicUrl}${path}`;

function typeLabel(lang: Language, type: DigestType): string {
  return type === "shipment" ? translate(lang, "mail.digest.shipment") : DOCUMENT_TYPE_LABELS[lang][type];
}

/** "Invoice R-10023 · 3 Mar 2025 · €1,190.00 · Open" and the page's link under it. */
function itemLines(lang: Language, item: NewDocument): string {
  const facts = [
    `${typeLabel(lang, item.type)} ${item.number}`,
    formatDate(lang, item.date),
    item.amount !== null && item.currency ? formatMoney(lang, item.amount, item.currency) : "",
    codeLabel(lang, "status", item.status),
  ].filter(Boolean);
  return `${facts.join(" · ")}\n  ${link(item.path)}`;
}

function composeDigest(to: Recipient, supplier: string, claimed: Claimed, found: NewDocuments) {
  const lang = to.language;
  const present = DIGEST_TYPES.filter((type) => found.counts[type] > 0);
  const summary = present.map((type) => formatCount(lang, found.counts[type], type)).join(", ");
  const account = `${to.accountName} (${to.accountNumber})`;
  const greeting = translate(lang, "mail.notify.greeting", { name: to.name });
  const body = translate(lang, "mail.digest.body", {
    since: formatDate(lang, claimed.since),
    supplier,
    account,
    counts: present.map((type) => `- ${formatCount(lang, found.counts[type], type)}`).join("\n"),
    items: found.items.map((item) => itemLines(lang, item)).join("\n\n"),
    link: link("/documents"),
  });
  const footer = translate(lang, claimed.frequency === "weekly" ? "mail.digest.footerWeekly" : "mail.digest.footerDaily", {
    supplier,
    settings: link("/settings"),
  });
  return {
    to: to.email,
    language: lang,
    subject: translate(lang, "mail.digest.subject", { account: to.accountName, summary }),
    text: `${greeting}\n\n${body}\n\n-- \n${footer}\n`,
  };
}

/**
 * Sends every digest that is due at `at`: one transaction per digest claims it, reads the new
 * documents through the contact's scope and queues the mail. Nothing new, a contact who is no longer
 * active or an account that is no longer theirs: no mail, and the digest still moves on. Answers how
 * many digests were due and how many mails were queued.
 */
export async function sendDueDigests(db: Db, options: { at?: Date } = {}): Promise<{ due: number; queued: number }> {
  const at = options.at ?? new Date();
  let due = 0;
  let queued = 0;
  for (;;) {
    const outcome = await db.transaction(async (tx) => {
      const claimed = await claimDueDigest(tx, at);
      if (!claimed) return null;
      const to = await loadRecipient(tx, claimed.membershipId);
      const scope = to ? await buildScope(tx, to, to.accountId) : null;
      if (!to || !scope) return 0;
      return queueMails(tx, { kind: `digest.${claimed.frequency}`, reference: to.accountNumber }, async () => {
        const found = await listNewDocuments(scope, tx, claimed);
        if (found.total === 0) return [];
        return [composeDigest(to, supplierDisplayName(await getSupplierSettings(tx)), claimed, found)];
      });
    });
    if (outcome === null) return { due, queued };
    due++;
    queued += outcome;
  }
}

// The job of this process (bootPortal starts it once; a dev rebuild must not start a second).
const globalForDigest = globalThis as typeof globalThis & { __ledgerlightDigest?: Cron };

/** Starts the digest job (every 15 minutes; a run still going when the next is due is skipped); returns stop(). */
export async function startDigestBackground(): Promise<() => Promise<void>> {
  const db = await getDb();
  globalForDigest.__ledgerlightDigest ??= new Cron(DIGEST_SCHEDULE, { protect: true, name: "contact-digest" }, async () => {
    try {
      await sendDueDigests(db);
    } catch (error) {
      console.error(`contact digest failed: ${(error as Error).message}`);
    }
  });
  return async () => {
    globalForDigest.__ledgerlightDigest?.stop();
    globalForDigest.__ledgerlightDigest = undefined;
  };
}

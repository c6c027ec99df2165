import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { ShortcutLink } from "~/components/ShortcutLink";
import { contactCan, type ContactRole } from "~/modules/access/permissions";
import { StatusBadge, useLang } from "~/components/format";
import { DataTable, useViewPreference, type Column } from "~/components/DataTable";
import { codeLabel, formatDateTime, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listTickets } from "~/modules/support/tickets.server";
import { routeAccess } from "~/modules/access/route-access";
import { catchUpInBackground } from "~/replica/active-replica.client";
import { readPortal } from "~/replica/portal-reads.client";
import { TICKET_PRIORITIES } from "~/modules/support/schemas";
import { LIST_LIMIT } from "~/modules/lists";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Support · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { tickets: await listTickets(scope) };
}

/** From the replica once synced (the writing pages refresh its shape before they answer); the server until then. */
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  catchUpInBackground(["support_tickets", "ticket_messages"]);
  return readPortal("portal.tickets", () => ({}), (tickets) => ({ tickets }), () => serverLoader<typeof loader>());
}

type TicketRow = Awaited<ReturnType<typeof listTickets>>[number];

export default function SupportPage() {
  const { tickets } = useLoaderData<typeof loader>();
  const lang = useLang();
  const preference = useViewPreference("tickets");
  const role = useRouteLoaderData<{ role?: ContactRole }>("routes/_portal")?.role;
  const canCreate = role ? contactCan(role, "tickets.create") : false;
  const columns: Column<TicketRow>[] = [
    { id: "number", label: "#", width: 90, sortValue: (t) => t.number, text: (t) => t.number, render: (t) => <Link to={`/support/${t.id}`}>{t.number}</Link> },
    { id: "subject", label: translate(lang, "support.subject"), width: 420, sortValue: (t) => t.subject, text: (t) => t.subject, render: (t) => t.subject },
    { id: "category", label: translate(lang, "support.category"), width: 130, sortValue: (t) => t.category, text: (t) => codeLabel(lang, "support.category", t.category), render: (t) => codeLabel(lang, "support.category", t.category) },
    {
      id: "priority",
      label: translate(lang, "support.priority"),
      width: 110,
      sortValue: (t) => (TICKET_PRIORITIES as readonly string[]).indexOf(t.priority),
      text: (t) => codeLabel(lang, "support.priority", t.priority),
      render: (t) => (t.priority === "high" || t.priority === "urgent" ? <span className="badge warn">{codeLabel(lang, "support.priority", t.priority)}</span> : codeLabel(lang, "support.priority", t.priority)),
    },
    { id: "status", label: translate(lang, "orders.status"), width: 150, sortValue: (t) => t.status, text: (t) => codeLabel(lang, "status", t.status), render: (t) => <StatusBadge status={t.status} /> },
    { id: "updated", label: translate(lang, "support.updated"), width: 160, sortValue: (t) => String(t.updatedAt), text: (t) => formatDateTime(lang, t.updatedAt), render: (t) => formatDateTime(lang, t.updatedAt) },
  ];
  return (
    <>
      <div className="page-head">
        <h1>{translate(lang, "support.title")}</h1>
        {canCreate ? (
          <ShortcutLink to="/support/new" hotkey="n" className="button primary">
            {translate(lang, "support.new")}
          </ShortcutLink>
        ) : null}
      </div>
      <DataTable
        id="tickets"
        label={translate(lang, "support.title")}
        rows={tickets}
        columns={columns}
        rowKey={(t) => t.id}
        rowHref={(t) => `/support/${t.id}`}
        preference={preference}
        limit={LIST_LIMIT}
        emptyText={translate(lang, "common.none")}
        autoFocus
        lang={lang}
      />
    </>
  );
}

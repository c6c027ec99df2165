import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { formatDateTime, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listTickets } from "~/modules/support/tickets.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Support · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { tickets: await listTickets(scope) };
}

export default function SupportPage() {
  const { tickets } = useLoaderData<typeof loader>();
  const lang = useLang();
  return (
    <>
      <h1>{translate(lang, "support.title")}</h1>
      <div className="panel">
        <table className="grid" data-testid="tickets-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Subject</th>
              <th>Category</th>
              <th>{translate(lang, "orders.status")}</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((t) => (
              <tr key={t.id}>
                <td>{t.number}</td>
                <td className="wrap">{t.subject}</td>
                <td>{t.category}</td>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td>{formatDateTime(lang, t.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {tickets.length === 0 ? <p className="muted" style={{ padding: 10 }}>{translate(lang, "common.none")}</p> : null}
      </div>
    </>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateText, useLang } from "~/components/format";
import { ListToolbar } from "~/components/ListToolbar";
import { translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listDocuments, type DocumentRow } from "~/modules/documents/documents.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Documents · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 100) || undefined;
  return { documents: await listDocuments(scope, { q }) };
}

const TYPE_LABEL: Record<DocumentRow["type"], string> = {
  invoice: "Invoice",
  credit_note: "Credit note",
  delivery_note: "Delivery note",
  order_confirmation: "Order confirmation",
  quote: "Quote",
  file: "File",
};

export default function DocumentsPage() {
  const { documents } = useLoaderData<typeof loader>();
  const lang = useLang();
  return (
    <>
      <h1>{translate(lang, "documents.title")}</h1>
      <ListToolbar />
      <div className="panel">
        <table className="grid" data-testid="documents-table">
          <thead>
            <tr>
              <th>Type</th>
              <th>{translate(lang, "invoices.number")}</th>
              <th>{translate(lang, "orders.date")}</th>
              <th>{translate(lang, "orders.number")}</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={`${d.type}-${d.id}`}>
                <td>{TYPE_LABEL[d.type]}</td>
                <td>{d.type === "invoice" || d.type === "credit_note" ? <Link to={`/invoices/${d.id}`}>{d.number}</Link> : d.number}</td>
                <td>
                  <DateText value={d.issueDate} />
                </td>
                <td>{d.orderId ? <Link to={`/orders/${d.orderId}`}>{d.orderNumber}</Link> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {documents.length === 0 ? <p className="muted" style={{ padding: 10 }}>{translate(lang, "common.none")}</p> : null}
      </div>
    </>
  );
}

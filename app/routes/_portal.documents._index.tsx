import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, useLang } from "~/components/format";
import { ListToolbar } from "~/components/ListToolbar";
import { translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listDocuments, type DocumentRow } from "~/modules/documents/documents.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";
import { BulkDownload, SelectBox } from "~/modules/documents/components/BulkDownload";
import { documentPdfPath } from "~/modules/documents/paths";
import { StatementLink } from "~/modules/documents/components/StatementLink";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Documents · Ledgerlight" }];

/** The search box's text (the server loader and the clientLoader read the same). */
const qOf = (request: Request) => new URL(request.url).searchParams.get("q")?.slice(0, 100) || undefined;

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { documents: await listDocuments(scope, { q: qOf(request) }) };
}

export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal("portal.documents", ({ access }) => ({ q: qOf(request), seesInvoices: access.invoices }), (documents) => ({ documents }), () => serverLoader<typeof loader>());
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
      <BulkDownload list="documents" lang={lang} />
      <p className="muted">
        <Link to="/documents/history">{lang === "de" ? "Meine Downloads" : "My downloads"}</Link>
        <StatementLink lang={lang} />
      </p>
      <div className="panel">
        <table className="grid" data-testid="documents-table">
          <thead>
            <tr>
              <th>Type</th>
              <th>{translate(lang, "invoices.number")}</th>
              <th>{translate(lang, "orders.date")}</th>
              <th>{translate(lang, "orders.number")}</th>
              <th>
                <span className="sr-only">Select</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={`${d.type}-${d.id}`}>
                <td>{TYPE_LABEL[d.type]}</td>
                <td>
                  {d.type === "invoice" || d.type === "credit_note" ? <Link to={`/invoices/${d.id}`}>{d.number}</Link> : d.number}
                  {documentPdfPath(d.type, d.id) ? (
                    <>
                      {" "}
                      <a href={documentPdfPath(d.type, d.id)!} target="_blank" rel="noreferrer" className="muted">
                        PDF
                      </a>
                    </>
                  ) : null}
                </td>
                <td>
                  <DateText value={d.issueDate} />
                </td>
                <td>{d.orderId ? <Link to={`/orders/${d.orderId}`}>{d.orderNumber}</Link> : null}</td>
                <td>{d.type !== "file" ? <SelectBox value={`${d.type}:${d.id}`} label={d.number} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {documents.length === 0 ? <p className="muted" style={{ padding: 10 }}>{translate(lang, "common.none")}</p> : null}
      </div>
    </>
  );
}

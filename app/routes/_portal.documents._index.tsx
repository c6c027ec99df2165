import { useCallback, useState } from "react";
import { SplitView } from "~/components/SplitView";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  useLoaderData,
  type ClientLoaderFunctionArgs,
} from "@remix-run/react";
import { DateText, useLang } from "~/components/format";
import { useViewPreference, type Column } from "~/components/DataTable";
import { ListToolbar } from "~/components/ListToolbar";
import { formatDate, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import {
  listDocuments,
  type DocumentRow,
} from "~/modules/documents/documents.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";
import { BulkDownload } from "~/modules/documents/components/BulkDownload";
import { documentPdfPath } from "~/modules/documents/paths";
import { DocumentPreview } from "~/modules/documents/components/DocumentPreview";
import { StatementLink } from "~/modules/documents/components/StatementLink";
import { LIST_LIMIT } from "~/modules/lists";
import { DOCUMENT_TYPE_LABELS } from "~/modules/documents/type-labels";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Documents · Ledgerlight" }];

/** The search box's text (the server loader and the clientLoader read the same). */
const qOf = (request: Request) =>
  new URL(request.url).searchParams.get("q")?.slice(0, 100) || undefined;

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { documents: await listDocuments(scope, { q: qOf(request) }) };
}

export async function clientLoader({
  request,
  serverLoader,
}: ClientLoaderFunctionArgs) {
  return readPortal(
    "portal.documents",
    ({ access }) => ({ q: qOf(request), seesInvoices: access.invoices }),
    (documents) => ({ documents }),
    () => serverLoader<typeof loader>()
  );
}

const keyOf = (d: { type: string; id: string }) => `${d.type}:${d.id}`;

/** Invoices, credit notes and quotes open their page; other documents open their order. */
function hrefOf(d: DocumentRow): string | null {
  if (d.type === "invoice" || d.type === "credit_note")
    return `/invoices/${d.id}`;
  if (d.type === "quote") return `/quotes/${d.id}`;
  return d.orderId ? `/orders/${d.orderId}` : null;
}

export default function DocumentsPage() {
  const { documents } = useLoaderData<typeof loader>();
  const lang = useLang();
  const preference = useViewPreference("documents");
  const [selected, setSelected] = useState<string[]>([]);
  const TYPE_LABEL = DOCUMENT_TYPE_LABELS[lang];
  // Files have no bulk download: only the generated documents go into the ZIP.
  const onSelectionChange = useCallback(
    (rows: DocumentRow[]) =>
      setSelected(rows.filter((d) => d.type !== "file").map(keyOf)),
    []
  );
  const columns: Column<DocumentRow>[] = [
    {
      id: "number",
      label: translate(lang, "invoices.number"),
      // Files carry their name here ("Abnahmeprüfzeugnis 3.1 …"), not a short number.
      width: 260,
      sortValue: (d) => d.number,
      text: (d) => d.number,
      render: (d) => (
        <>
          {d.type === "invoice" || d.type === "credit_note" ? (
            <Link to={`/invoices/${d.id}`}>{d.number}</Link>
          ) : (
            d.number
          )}
          {documentPdfPath(d.type, d.id) ? (
            <>
              {" "}
              <a
                href={documentPdfPath(d.type, d.id)!}
                target="_blank"
                rel="noreferrer"
                className="muted"
              >
                PDF
              </a>
            </>
          ) : null}
        </>
      ),
    },
    {
      id: "type",
      label: lang === "de" ? "Art" : "Type",
      width: 140,
      sortValue: (d) => TYPE_LABEL[d.type],
      text: (d) => TYPE_LABEL[d.type],
      render: (d) => TYPE_LABEL[d.type],
    },
    {
      id: "date",
      label: translate(lang, "orders.date"),
      width: 112,
      sortValue: (d) => (d.issueDate ? String(d.issueDate) : null),
      text: (d) => formatDate(lang, d.issueDate),
      render: (d) => <DateText value={d.issueDate} />,
    },
    {
      id: "order",
      label: translate(lang, "orders.number"),
      width: 150,
      sortValue: (d) => d.orderNumber ?? "",
      text: (d) => d.orderNumber ?? "",
      render: (d) =>
        d.orderId ? (
          <Link to={`/orders/${d.orderId}`}>{d.orderNumber}</Link>
        ) : null,
    },
  ];
  return (
    <>
      <h1>{translate(lang, "documents.title")}</h1>
      <ListToolbar />
      <BulkDownload list="documents" lang={lang} selected={selected} />
      <p className="muted">
        <Link to="/documents/history">
          {lang === "de" ? "Meine Downloads" : "My downloads"}
        </Link>
        <StatementLink lang={lang} />
      </p>
      <SplitView
        id="documents"
        label={translate(lang, "documents.title")}
        rows={documents}
        columns={columns}
        rowKey={keyOf}
        rowHref={hrefOf}
        preference={preference}
        selectable
        selectName="ids"
        onSelectionChange={onSelectionChange}
        // The bulk-download bar's CSV export (server-side, audited) is the list's one export.
        csvExport={false}
        limit={LIST_LIMIT}
        emptyText={translate(lang, "common.none")}
        autoFocus
        lang={lang}
        preview={(d) => <DocumentPreview document={d} typeLabel={(row) => TYPE_LABEL[row.type]} lang={lang} />}
        previewLabel={lang === "de" ? "Vorschau" : "Preview"}
        previewEmpty={lang === "de" ? "Wählen Sie ein Dokument (j/k)." : "Pick a document (j/k)."}
        previewTestId="document-preview"
      />
    </>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLang } from "~/components/format";
import { formatDateTime } from "~/i18n/i18n";
import { requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { listDownloadHistory } from "~/modules/documents/access-log.server";

/** The contact's own document views and downloads. */
export const handle = routeAccess({ area: "portal", permission: "documents.read" });

export const meta: MetaFunction = () => [{ title: "Download history · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "documents.read");
  return { history: await listDownloadHistory(scope, { limit: 300 }) };
}

const ACTION: Record<string, [string, string]> = {
  "document.view": ["Viewed", "Angesehen"],
  "document.download": ["Downloaded", "Heruntergeladen"],
  "document.bulk_download": ["ZIP download", "ZIP-Download"],
  "document.export": ["CSV export", "CSV-Export"],
};

export default function DownloadHistory() {
  const { history } = useLoaderData<typeof loader>();
  const lang = useLang();
  const de = lang === "de";
  return (
    <>
      <p>
        <Link to="/documents">← {de ? "Dokumente" : "Documents"}</Link>
      </p>
      <h1>{de ? "Meine Downloads" : "My downloads"}</h1>
      <div className="panel">
        <table className="grid" data-testid="download-history">
          <thead>
            <tr>
              <th>{de ? "Zeit" : "Time"}</th>
              <th>{de ? "Aktion" : "Action"}</th>
              <th>{de ? "Dokument" : "Document"}</th>
              <th>{de ? "Format" : "Format"}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h, i) => (
              <tr key={i}>
                <td>{formatDateTime(lang, h.at)}</td>
                <td>{ACTION[h.action]?.[de ? 1 : 0] ?? h.action}</td>
                <td>{h.number ?? (h.count !== null ? `${h.count} ${de ? "Dokumente" : "documents"}` : "")}</td>
                <td>{h.format ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.length === 0 ? <p className="muted" style={{ padding: 10 }}>{de ? "Noch keine Downloads." : "No downloads yet."}</p> : null}
      </div>
    </>
  );
}

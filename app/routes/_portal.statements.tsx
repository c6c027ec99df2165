import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { DateText, Money, useLang } from "~/components/format";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { docLabel } from "~/modules/documents/labels";
import { defaultStatementRange } from "~/modules/documents/statement-range";
import { StatementRangeSchema, getStatement } from "~/modules/documents/statement.server";

/** Statement of account for any date range, on screen and as PDF. */
export const handle = routeAccess({ area: "portal", permission: "statements.read" });

export const meta: MetaFunction = () => [{ title: "Statement of account · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "statements.read");
  const url = new URL(request.url);
  const fallback = defaultStatementRange(new Date());
  const input = { from: url.searchParams.get("from") || fallback.from, to: url.searchParams.get("to") || fallback.to };
  const parsed = StatementRangeSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { range: input, error: `${issue.path.join(".")} ${issue.message}`, statement: null };
  }
  const statement = await getStatement(scope, parsed.data);
  if (!statement) notFound();
  return { range: parsed.data, error: null, statement };
}

export default function StatementPage() {
  const { range, error, statement } = useLoaderData<typeof loader>();
  const lang = useLang();
  const c = statement?.currency ?? "EUR";
  const query = new URLSearchParams(range).toString();
  return (
    <>
      <h1>{docLabel(lang, "statement")}</h1>
      <Form method="get" className="toolbar" aria-label={docLabel(lang, "statement")}>
        <label htmlFor="statement-from">{lang === "de" ? "Von" : "From"}</label>
        <input id="statement-from" type="date" name="from" defaultValue={range.from} required />
        <label htmlFor="statement-to">{lang === "de" ? "Bis" : "To"}</label>
        <input id="statement-to" type="date" name="to" defaultValue={range.to} required />
        <button type="submit">{lang === "de" ? "Anzeigen" : "Show"}</button>
        {statement ? (
          <a className="button" href={`/statements/pdf?${query}`} target="_blank" rel="noreferrer" data-testid="statement-pdf">
            PDF
          </a>
        ) : null}
      </Form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {statement ? (
        <div className="panel">
          <table className="grid" data-testid="statement-table">
            <thead>
              <tr>
                <th>{docLabel(lang, "date")}</th>
                <th>{docLabel(lang, "number")}</th>
                <th>{docLabel(lang, "description")}</th>
                <th className="num">{docLabel(lang, "debit")}</th>
                <th className="num">{docLabel(lang, "credit")}</th>
                <th className="num">{docLabel(lang, "balance")}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td colSpan={5}>
                  <strong>{docLabel(lang, "openingBalance")}</strong>
                </td>
                <td className="num" data-testid="opening-balance">
                  <Money amount={statement.openingBalance} currency={c} />
                </td>
              </tr>
              {statement.entries.map((e, i) => (
                <tr key={i}>
                  <td>
                    <DateText value={e.date} />
                  </td>
                  <td>{e.number}</td>
                  <td>{e.text}</td>
                  <td className="num">{e.debit ? <Money amount={e.debit} currency={c} /> : null}</td>
                  <td className="num">{e.credit ? <Money amount={e.credit} currency={c} /> : null}</td>
                  <td className="num">
                    <Money amount={e.balance} currency={c} />
                  </td>
                </tr>
              ))}
              <tr>
                <td colSpan={5}>
                  <strong>{docLabel(lang, "closingBalance")}</strong>
                </td>
                <td className="num" data-testid="closing-balance">
                  <strong>
                    <Money amount={statement.closingBalance} currency={c} />
                  </strong>
                </td>
              </tr>
            </tbody>
          </table>
          <h2>{docLabel(lang, "aging")}</h2>
          <table className="grid">
            <tbody>
              {(
                [
                  ["notDue", statement.aging.notDue],
                  ["days1to30", statement.aging.d1to30],
                  ["days31to60", statement.aging.d31to60],
                  ["days61to90", statement.aging.d61to90],
                  ["days90plus", statement.aging.d90plus],
                  ["totalOpen", statement.aging.total],
                ] as const
              ).map(([key, value]) => (
                <tr key={key}>
                  <td>{docLabel(lang, key)}</td>
                  <td className="num">
                    <Money amount={value} currency={c} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

import { Link, useRouteLoaderData } from "@remix-run/react";
import { contactCan, type ContactRole } from "~/modules/access/permissions";

/** " · Statement of account" for contacts who may read statements (the portal layout knows the role). */
export function StatementLink({ lang }: { lang: "en" | "de" }) {
  const portal = useRouteLoaderData<{ role?: ContactRole }>("routes/_portal");
  if (!portal?.role || !contactCan(portal.role, "statements.read")) return null;
  return (
    <>
      {" · "}
      <Link to="/statements">{lang === "de" ? "Kontoauszug" : "Statement of account"}</Link>
    </>
  );
}

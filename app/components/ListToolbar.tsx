import { Form, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { translate } from "~/i18n/i18n";
import { useLang } from "./format";

/**
 * Search box, optional state filter and further filters (`children`, inside the same GET form);
 * all live in the URL so a view can be linked and reloaded.
 */
export function ListToolbar({ states, children }: { states?: { value: string; label: string }[]; children?: ReactNode }) {
  const [params] = useSearchParams();
  const lang = useLang();
  return (
    <Form method="get" className="toolbar" role="search">
      <label htmlFor="list-search" className="sr-only">
        {translate(lang, "common.search")}
      </label>
      <input id="list-search" type="search" name="q" defaultValue={params.get("q") ?? ""} placeholder={`${translate(lang, "common.search")}…`} />
      {states ? (
        <>
          <label htmlFor="list-state" className="sr-only">
            {translate(lang, "orders.status")}
          </label>
          <select id="list-state" name="state" defaultValue={params.get("state") ?? ""}>
            <option value="">{translate(lang, "orders.status")}: {translate(lang, "common.any")}</option>
            {states.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </>
      ) : null}
      {children}
      <button type="submit">{translate(lang, "common.search")}</button>
    </Form>
  );
}

import { useLocation, useNavigate, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * A one-time notice flag in the address ("?submitted=1" after a form created `recordId`): true while
 * this page shows that record, said once: the flag leaves the address at once, so a reload or a
 * bookmark does not say it again, while the notice stays on the page.
 */
export function useFlagOnce(param: string, recordId: string): boolean {
  const [params] = useSearchParams();
  const [flaggedId] = useState(() => (params.get(param) !== null ? recordId : null));
  const navigate = useNavigate();
  const { pathname } = useLocation();
  useEffect(() => {
    if (params.get(param)) navigate(pathname, { replace: true, preventScrollReset: true });
  }, [param, params, pathname, navigate]);
  return flaggedId === recordId;
}

import { useActionData } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * `useActionData` that outlives a revalidation. React Router drops a page's action data when the page
 * revalidates after the action has finished, and the portal revalidates the open page on every live
 * change the replica applies (routes/_portal.tsx): a quote's "accepted" notice, or a form's field
 * errors, vanished the moment any other record changed. The result stays until the next action
 * answers or the page is left.
 */
export function useKeptActionData<T>() {
  const current = useActionData<T>();
  const [kept, setKept] = useState(current);
  useEffect(() => {
    if (current !== undefined) setKept(current);
  }, [current]);
  return current ?? kept;
}

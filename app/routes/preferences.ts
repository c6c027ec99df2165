import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { savePreference } from "~/modules/preferences/preferences.server";

export const handle = routeAccess({ area: "signed-in" });

/** POST /preferences with a JSON body {kind, key, value}: one view or theme preference of the signed-in user. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return data({ ok: false, errors: { body: "must be JSON" } }, { status: 400 });
  }
  const result = await savePreference(user.id, body);
  return data(result, { status: result.ok ? 200 : 400 });
}

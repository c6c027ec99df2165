import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { currentUser } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "public" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await currentUser(request);
  if (!user) throw redirect("/login");
  throw redirect(user.kind === "staff" ? "/admin" : "/overview");
}

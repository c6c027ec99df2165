import { getDb } from "~/db/connection.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "public" });

export async function loader() {
  const db = await getDb();
  await db.query("SELECT 1");
  return Response.json({ ok: true, database: db.kind });
}

import { PORTAL_QUERY_SHAPES, type PortalQueryMap, type PortalQueryName } from "../../electric/replica/portal-queries";
import { getReplicaAccess, readReplicaOr, type ReplicaAccess } from "./active-replica.client";

export interface PortalReadContext {
  access: ReplicaAccess;
  /** Today in UTC: the server compares due dates with Postgres' `current_date`, and its database runs in UTC. */
  today: string;
}

/**
 * A portal page's clientLoader: one named query on the replica (electric/replica/portal-queries.ts),
 * shaped into the server loader's data. The server answers instead while the replica is not ready
 * (readReplicaOr), while the contact's rights are unknown, when `params` says so (returns null: a
 * page the role may not see, which the server answers with 404), and when the query finds no such
 * record (a detail page for a foreign or unknown id: the server's 404 is the same for both).
 */
export function readPortal<N extends PortalQueryName, T>(
  name: N,
  params: (context: PortalReadContext) => PortalQueryMap[N]["params"] | null,
  // NoInfer: the server loader alone says what the page's data is; the replica's must be the same.
  toData: (result: NonNullable<PortalQueryMap[N]["result"]>) => NoInfer<T>,
  serverLoader: () => Promise<T>,
): Promise<T> {
  return readReplicaOr(
    PORTAL_QUERY_SHAPES[name],
    async (replica) => {
      const access = getReplicaAccess();
      const values = access ? params({ access, today: new Date().toISOString().slice(0, 10) }) : null;
      if (!values) return null;
      const result = await replica.query(name, values);
      return result === null ? null : toData(result as NonNullable<PortalQueryMap[N]["result"]>);
    },
    serverLoader,
  );
}

/** `load` called at most once, however many fall-backs ask (a page whose loader serves several replica queries). */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= load());
}

import { PORTAL_QUERY_SHAPES, type PortalQueryMap, type PortalQueryName } from "../../electric/replica/portal-queries";
import type { Replica } from "../../electric/replica/replica.client";
import { getReplicaAccess, readReplicaOr, type ReplicaAccess } from "./active-replica.client";

/**
 * The last answers per replica, keyed by query, parameters and the replica's commit count: until
 * the replica applies another change, the same query gives the same rows, so going back to a list
 * (list → detail → back) or switching between sections re-renders without asking the worker. A
 * commit changes the key (and the shell revalidates the page on each one), so nothing stale stays.
 */
const MEMO_ENTRIES = 24;
const memo = new WeakMap<Replica, Map<string, Promise<unknown>>>();

function memoised<T>(replica: Replica, name: string, params: unknown, run: () => Promise<T>): Promise<T> {
  const commits = replica.status()?.commits ?? -1;
  const key = `${commits}|${name}|${JSON.stringify(params)}`;
  let entries = memo.get(replica);
  if (!entries) memo.set(replica, (entries = new Map()));
  const hit = entries.get(key) as Promise<T> | undefined;
  if (hit) {
    entries.delete(key); // most recently used last
    entries.set(key, hit);
    return hit;
  }
  const answer = run();
  entries.set(key, answer);
  // A failed read is not remembered; neither are more than MEMO_ENTRIES answers.
  answer.catch(() => entries.delete(key));
  if (entries.size > MEMO_ENTRIES) entries.delete(entries.keys().next().value as string);
  return answer;
}

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
      const result = await memoised(replica, name, values, () => replica.query(name, values));
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

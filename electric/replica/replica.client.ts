import {
  REPLICA_CONTROL_CHANNEL, REPLICA_OPFS_ROOT, REPLICA_PROTOCOL_VERSION, replicaNames, type ChannelMessage, type OpenMessage,
  type ReadQueryMap, type ReadQueryName, type ReplicaErrorCode, type ReplicaRequest, type ResponseMessage, type SearchOptions,
  type SearchResult, type SyncMode, type WipeReason, type WorkerEvent, type WorkerStatus,
} from "./protocol";

/**
 * The page's handle on the replica. Several tabs share one replica per (user, account), but the
 * OPFS SAH pool admits one owner, so the tabs elect a leader with the Web Locks API: the lock
 * holder starts the worker; the other tabs (followers) post their requests on a BroadcastChannel,
 * the leader relays them to its worker and posts the answers back. When the leader tab closes, the
 * browser releases its lock, the next waiting tab gets it, starts a worker and re-sends whatever
 * was still unanswered. See docs/decisions/006-browser-replica.md.
 */

export interface OpenReplicaOptions {
  userId: string;
  accountId: string;
  /** Where the build put the worker (scripts/build-replica.mjs). */
  workerUrl?: string;
  /** The gateway's shape routes, absolute or relative to the page's origin. */
  syncUrl?: string;
  syncMode?: SyncMode;
  intervalMs?: number;
  /** After this, a request rejects with code "unavailable" so the caller can ask the server. */
  requestTimeoutMs?: number;
}

export type ReplicaRole = "leader" | "follower" | "closed";

export interface ReplicaStatus extends WorkerStatus {
  role: ReplicaRole;
}

export interface Replica {
  readonly userId: string;
  readonly accountId: string;
  role(): ReplicaRole;
  /** The latest status (null until the leader's worker reported one). */
  status(): ReplicaStatus | null;
  /** Calls `listener` with every status (and at once with the current one); returns unsubscribe. */
  onStatus(listener: (status: ReplicaStatus) => void): () => void;
  search(query: string, options?: SearchOptions): Promise<SearchResult[]>;
  query<N extends ReadQueryName>(name: N, params: ReadQueryMap[N]["params"]): Promise<ReadQueryMap[N]["result"]>;
  /** Catch the given shapes (default: all) up now, e.g. after an action changed them. */
  refresh(shapes?: string[]): Promise<void>;
  /** Deletes this replica's database (logout). Every tab's handle for it closes. */
  wipe(): Promise<void>;
  /** Stops using the replica in this tab; another tab takes over if this one led. */
  close(): void;
}

export class ReplicaError extends Error {
  override name = "ReplicaError";
  constructor(
    readonly code: ReplicaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  request: ReplicaRequest;
  resolve: (value: unknown) => void;
  reject: (error: ReplicaError) => void;
  timer: ReturnType<typeof setTimeout>;
}

const open = new Map<string, ReplicaClient>();

/** One handle per (user, account) per tab: calling it again returns the same open replica. */
export function openReplica(options: OpenReplicaOptions): Replica {
  const key = replicaNames(options.userId, options.accountId).lock;
  let replica = open.get(key);
  if (!replica || replica.role() === "closed") {
    replica = new ReplicaClient(options, () => open.delete(key));
    open.set(key, replica);
  }
  return replica;
}

class ReplicaClient implements Replica {
  readonly userId: string;
  readonly accountId: string;
  // randomUUID needs a secure context; so do Web Locks and OPFS, but the id must not be the failure.
  private readonly tabId = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  private readonly names: ReturnType<typeof replicaNames>;
  private readonly pending = new Map<string, Pending>();
  /** Requests this leader relays for followers: requestId → the follower's tabId. */
  private readonly relayed = new Map<string, string>();
  private readonly listeners = new Set<(status: ReplicaStatus) => void>();
  private channel: BroadcastChannel | null = null;
  private control: BroadcastChannel | null = null;
  private worker: Worker | null = null;
  private releaseLock: (() => void) | null = null;
  private current: ReplicaRole = "follower";
  private lastStatus: WorkerStatus | null = null;
  private failure: string | null = null;
  private counter = 0;

  constructor(
    private readonly options: OpenReplicaOptions,
    private readonly onClosed: () => void,
  ) {
    this.userId = options.userId;
    this.accountId = options.accountId;
    this.names = replicaNames(options.userId, options.accountId);
    const missing = [
      typeof navigator === "undefined" || !navigator.locks ? "Web Locks" : null,
      typeof BroadcastChannel === "undefined" ? "BroadcastChannel" : null,
      typeof Worker === "undefined" ? "Web Workers" : null,
    ].filter(Boolean);
    if (missing.length > 0) {
      this.current = "closed";
      this.publish(closedStatus(`This browser lacks ${missing.join(", ")}; the replica is off and pages read from the server.`));
      return;
    }
    this.channel = new BroadcastChannel(this.names.channel);
    this.channel.onmessage = (event: MessageEvent<ChannelMessage>) => this.onChannelMessage(event.data);
    this.control = new BroadcastChannel(REPLICA_CONTROL_CHANNEL);
    this.control.onmessage = (event: MessageEvent<{ kind: "wipe-all" }>) => {
      if (event.data.kind === "wipe-all" && this.current === "leader") void this.wipe().catch(() => {});
    };
    navigator.locks
      .request(this.names.lock, () => new Promise<void>((release) => {
        this.releaseLock = release;
        this.becomeLeader();
      }))
      .catch(() => {});
    this.channel.postMessage({ kind: "hello", from: this.tabId } satisfies ChannelMessage);
  }

  role(): ReplicaRole {
    return this.current;
  }

  status(): ReplicaStatus | null {
    return this.lastStatus ? { ...this.lastStatus, role: this.current } : null;
  }

  onStatus(listener: (status: ReplicaStatus) => void): () => void {
    this.listeners.add(listener);
    const now = this.status();
    if (now) listener(now);
    return () => this.listeners.delete(listener);
  }

  search(query: string, options?: SearchOptions): Promise<SearchResult[]> {
    return this.request({ kind: "search", query, options }) as Promise<SearchResult[]>;
  }

  query<N extends ReadQueryName>(name: N, params: ReadQueryMap[N]["params"]): Promise<ReadQueryMap[N]["result"]> {
    return this.request({ kind: "query", name, params }) as Promise<ReadQueryMap[N]["result"]>;
  }

  async refresh(shapes?: string[]): Promise<void> {
    await this.request({ kind: "refresh", shapes });
  }

  async wipe(): Promise<void> {
    await this.request({ kind: "wipe" });
  }

  close(): void {
    this.shutdown();
  }

  private request(body: DistributiveOmit<ReplicaRequest, "requestId">): Promise<unknown> {
    if (this.current === "closed") return Promise.reject(new ReplicaError("closed", "The replica is closed."));
    const requestId = `${this.tabId}:${(this.counter += 1)}`;
    const request = { ...body, requestId } as ReplicaRequest;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new ReplicaError("unavailable", `The replica did not answer within ${this.timeoutMs()} ms.`));
      }, this.timeoutMs());
      this.pending.set(requestId, { request, resolve, reject, timer });
      this.send(request);
    });
  }

  private timeoutMs(): number {
    return this.options.requestTimeoutMs ?? 10_000;
  }

  private send(request: ReplicaRequest): void {
    if (this.current === "leader" && this.failure) this.onWorkerEvent(this.failed(request.requestId));
    else if (this.current === "leader") this.worker?.postMessage(request);
    else this.channel?.postMessage({ kind: "request", from: this.tabId, request } satisfies ChannelMessage);
  }

  private failed(requestId: string): ResponseMessage {
    return { kind: "response", requestId, ok: false, code: "unavailable", error: this.failure ?? "The replica worker failed." };
  }

  private becomeLeader(): void {
    if (this.current === "closed") {
      this.releaseLock?.();
      return;
    }
    this.current = "leader";
    const worker = new Worker(this.options.workerUrl ?? "/replica/worker.js", { type: "module", name: "ledgerlight-replica" });
    worker.onmessage = (event: MessageEvent<WorkerEvent>) => this.onWorkerEvent(event.data);
    worker.onerror = (event) => {
      // Usually a missing build (public/replica/worker.js): answer at once instead of timing out.
      this.failure = `The replica worker failed: ${event.message || `could not load ${this.options.workerUrl ?? "/replica/worker.js"}`}`;
      this.publish(closedStatus(this.failure, "error"));
      for (const pending of [...this.pending.values()]) this.send(pending.request);
    };
    this.worker = worker;
    const open: OpenMessage = {
      kind: "open",
      protocol: REPLICA_PROTOCOL_VERSION,
      userId: this.userId,
      accountId: this.accountId,
      syncUrl: new URL(this.options.syncUrl ?? "/sync/shapes", location.origin).href,
      syncMode: this.options.syncMode ?? "auto",
      intervalMs: this.options.intervalMs,
    };
    worker.postMessage(open);
    // Whatever this tab asked while following may have died with the old leader: ask again.
    for (const pending of this.pending.values()) worker.postMessage(pending.request);
    this.channel?.postMessage({ kind: "leader", tabId: this.tabId } satisfies ChannelMessage);
  }

  private onWorkerEvent(event: WorkerEvent): void {
    switch (event.kind) {
      case "response": {
        const follower = this.relayed.get(event.requestId);
        if (follower) {
          this.relayed.delete(event.requestId);
          this.channel?.postMessage({ kind: "response", to: follower, response: event } satisfies ChannelMessage);
        } else {
          this.settle(event);
        }
        return;
      }
      case "status":
        this.publish(event.status);
        this.channel?.postMessage({ kind: "status", status: event.status } satisfies ChannelMessage);
        return;
      case "wiped":
        this.channel?.postMessage({ kind: "wiped", reason: event.reason } satisfies ChannelMessage);
        this.onWiped(event.reason);
        return;
    }
  }

  private onChannelMessage(message: ChannelMessage): void {
    switch (message.kind) {
      case "request":
        if (this.current !== "leader") return;
        this.relayed.set(message.request.requestId, message.from);
        if (this.failure) this.onWorkerEvent(this.failed(message.request.requestId));
        else this.worker?.postMessage(message.request);
        return;
      case "response":
        if (message.to === this.tabId) this.settle(message.response);
        return;
      case "status":
        if (this.current === "follower") this.publish(message.status);
        return;
      case "leader":
        if (this.current === "follower") for (const pending of this.pending.values()) this.send(pending.request);
        return;
      case "hello":
        if (this.current === "leader" && this.lastStatus) this.channel?.postMessage({ kind: "status", status: this.lastStatus } satisfies ChannelMessage);
        return;
      case "wiped":
        this.onWiped(message.reason);
        return;
    }
  }

  private settle(response: ResponseMessage): void {
    const pending = this.pending.get(response.requestId);
    if (!pending) return;
    this.pending.delete(response.requestId);
    clearTimeout(pending.timer);
    if (response.ok) pending.resolve(response.result);
    else pending.reject(new ReplicaError(response.code, response.error));
  }

  private onWiped(reason: WipeReason): void {
    // Answer the wipe request itself before everything else is rejected as closed.
    for (const [requestId, pending] of this.pending) {
      if (pending.request.kind === "wipe") this.settle({ kind: "response", requestId, ok: true, result: undefined });
    }
    this.publish({ ...(this.lastStatus ?? closedStatus(null)), phase: "wiped", wipedReason: reason });
    this.shutdown();
  }

  private shutdown(): void {
    if (this.current === "closed" && !this.worker) return;
    this.current = "closed";
    this.worker?.terminate();
    this.worker = null;
    this.releaseLock?.();
    this.releaseLock = null;
    this.channel?.close();
    this.control?.close();
    this.channel = this.control = null;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new ReplicaError("closed", "The replica was closed."));
    }
    this.pending.clear();
    this.onClosed();
  }

  private publish(status: WorkerStatus): void {
    this.lastStatus = status;
    const withRole = { ...status, role: this.current };
    for (const listener of this.listeners) listener(withRole);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function closedStatus(error: string | null, phase: WorkerStatus["phase"] = "stopped"): WorkerStatus {
  return {
    phase, mode: null, progress: 0, searchReady: false, shapes: [], commits: 0, applyMs: 0, error, wipedReason: null, openMs: null, index: null,
  };
}

/**
 * Logout: wipe every replica of this origin. Open replicas (in any tab) are wiped by their leader;
 * replicas nobody holds (other accounts, earlier sessions) are deleted from OPFS directly, each
 * under its own lock so a tab that is opening it right now is never cut off mid-write.
 */
export async function wipeAllReplicas(): Promise<void> {
  await Promise.all([...open.values()].map((replica) => replica.wipe().catch(() => {})));
  if (typeof BroadcastChannel !== "undefined") {
    const control = new BroadcastChannel(REPLICA_CONTROL_CHANNEL);
    control.postMessage({ kind: "wipe-all" });
    control.close();
  }
  if (typeof navigator === "undefined" || !navigator.storage?.getDirectory || !navigator.locks) return;
  const root = await navigator.storage.getDirectory();
  const replicas = await root.getDirectoryHandle(REPLICA_OPFS_ROOT).catch(() => null);
  if (!replicas) return;
  const names: string[] = [];
  for await (const name of (replicas as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  for (const name of names) {
    await navigator.locks.request(`ledgerlight-replica-${name}`, { ifAvailable: true }, async (lock) => {
      if (lock) await replicas.removeEntry(name, { recursive: true }).catch(() => {});
    });
  }
}

/**
 * The replica worker (bundled to public/replica/worker.js by scripts/build-replica.mjs). Only the
 * leader tab runs one: it owns the OPFS database, runs the shape streams, and answers the requests
 * its page (and, relayed by that page, the other tabs) post. Protocol: protocol.ts.
 */
import { loadSqlite3 } from "./driver";
import { openOpfsReplica, replicaStorageExists, type OpfsReplica } from "./opfs";
import {
  REPLICA_PROTOCOL_VERSION, replicaNames, type OpenMessage, type ReplicaRequest, type ResponseMessage, type WipeReason, type WorkerEvent,
  type WorkerRequest, type WorkerStatus,
} from "./protocol";
import { ReplicaQueryError, runReadQuery } from "./queries";
import { migrateReplica } from "./schema";
import { searchDocuments } from "./search";
import { SnapshotDecoderClient, type DecoderEndpoint } from "./snapshot-decoder";
import { SyncController } from "./sync";

/** Set by the build (esbuild `define`) to the wasm's content hash, so a new wasm is never served stale. */
declare const __REPLICA_WASM_VERSION__: string | undefined;
const WASM_VERSION = typeof __REPLICA_WASM_VERSION__ === "string" ? __REPLICA_WASM_VERSION__ : "dev";

let replica: OpfsReplica | null = null;
let sync: SyncController | null = null;
let opening: Promise<void> | null = null;
let wiped = false;
let status: WorkerStatus = {
  phase: "opening", mode: null, progress: 0, searchReady: false, shapes: [], commits: 0, applyMs: 0, error: null, wipedReason: null, openMs: null, index: null,
};

const post = (event: WorkerEvent) => self.postMessage(event);

/**
 * How long this thread was busy since the database opened, from how late a 10 ms timer fires (a
 * task that runs blocks the timer). Apply and index time are measured exactly; the rest of the busy
 * time is the streams' own work (response bodies, JSON parsing), and what is left of the wall time
 * the thread spent waiting for the network. Shown in the status for the sync benchmark.
 */
let busyMs = 0;
function sampleBusy(): void {
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    busyMs += Math.max(0, now - last - 10);
    last = now;
    if (status.phase !== "ready" && status.phase !== "wiped" && status.phase !== "error") setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
}

// Status changes come in bursts during the initial sync (one per commit); the page needs at most
// a few per second. Phase changes and search progress go out at once.
let statusTimer: ReturnType<typeof setTimeout> | null = null;
function setStatus(next: Partial<WorkerStatus>, immediate = false): void {
  const phaseChanged = next.phase !== undefined && next.phase !== status.phase;
  status = { ...status, ...next };
  if (immediate || phaseChanged) {
    if (statusTimer) clearTimeout(statusTimer);
    statusTimer = null;
    post({ kind: "status", status });
  } else {
    statusTimer ??= setTimeout(() => {
      statusTimer = null;
      post({ kind: "status", status });
    }, 100);
  }
}

async function open(message: OpenMessage): Promise<void> {
  if (message.protocol !== REPLICA_PROTOCOL_VERSION) {
    throw new Error(`Replica worker speaks protocol ${REPLICA_PROTOCOL_VERSION}, the page ${message.protocol}: reload the page.`);
  }
  const started = performance.now();
  const names = replicaNames(message.userId, message.accountId);
  // A new replica will fetch every snapshot: the snapshot worker loads its SQLite meanwhile.
  const earlyDecoder = (await replicaStorageExists(names.directory)) ? undefined : startSnapshotDecoder();
  const sqlite3 = await loadSqlite3({ wasmUrl: new URL(`sqlite3.wasm?v=${WASM_VERSION}`, self.location.href).href });
  replica = await openOpfsReplica(sqlite3, names);
  try {
    migrateReplica(replica.driver);
  } catch (error) {
    // A damaged file is only a cache: throw it away and sync again rather than stay broken.
    if (!/SQLITE_(CORRUPT|NOTADB)|malformed/i.test((error as Error).message)) throw error;
    console.warn("Replica database damaged, rebuilding it:", (error as Error).message);
    await replica.destroy();
    replica = await openOpfsReplica(sqlite3, names);
    migrateReplica(replica.driver);
  }
  setStatus({ openMs: Math.round(performance.now() - started) });
  const syncStarted = performance.now();
  sampleBusy();
  sync = new SyncController({
    snapshotDecoder: () => earlyDecoder ?? startSnapshotDecoder(),
    driver: replica.driver,
    baseUrl: message.syncUrl,
    accountId: message.accountId,
    mode: message.syncMode,
    intervalMs: message.intervalMs,
    // A live change (a commit once everything is synced) goes to the page at once: it is what the
    // contact waits for. The 100 ms batching is for the initial load's burst of commits.
    onStatus: (s) => {
      const decoder = sync?.snapshotWorker;
      setStatus(
        {
          ...s, error: status.error,
          timing: { wallMs: performance.now() - syncStarted, busyMs, ...(decoder ? { snapshotWorkerDecodeMs: decoder.decodeMs, snapshotWorkerMB: decoder.bytes / 1e6 } : {}) },
        },
        s.phase === "ready" && status.phase === "ready" && s.commits !== status.commits,
      );
    },
    // The index build is synchronous, but posted messages reach the page while it runs.
    onSearchProgress: (index) => setStatus({ index }, true),
    onAccessDenied: () => void wipe("access-denied"),
  });
  // Not awaited: queries are answered from what is already there while the shapes catch up.
  sync.start().catch((error: Error) => setStatus({ phase: "error", error: error.message }, true));
}

/**
 * The snapshot worker, which fetches and converts the initial snapshots while this thread inserts
 * (snapshot-decoder.ts); SyncController starts it when a shape needs its initial snapshot. Null when
 * this browser cannot start a worker from a worker: the snapshots are then converted here, as
 * before; so they are when the worker fails to load later.
 */
function startSnapshotDecoder(): SnapshotDecoderClient | null {
  if (typeof Worker === "undefined") return null;
  try {
    const worker = new Worker(new URL("snapshot-worker.js", self.location.href), { type: "module", name: "ledgerlight-replica-snapshots" });
    return new SnapshotDecoderClient(worker as unknown as DecoderEndpoint);
  } catch (error) {
    console.warn("Replica snapshot worker unavailable, converting snapshots in the replica worker:", (error as Error).message);
    return null;
  }
}

async function wipe(reason: WipeReason): Promise<void> {
  if (wiped) return;
  wiped = true;
  sync?.stop();
  sync = null;
  const current = replica;
  replica = null;
  await current?.destroy();
  setStatus({ phase: "wiped", wipedReason: reason }, true);
  post({ kind: "wiped", reason });
}

async function answer(request: ReplicaRequest): Promise<unknown> {
  if (wiped) throw Object.assign(new Error("The replica was wiped."), { code: "closed" as const });
  if (!opening) throw Object.assign(new Error("The replica was not opened."), { code: "unavailable" as const });
  await opening;
  if (request.kind === "wipe") return wipe("logout");
  if (!replica || !sync) throw Object.assign(new Error("The replica is closed."), { code: "closed" as const });
  switch (request.kind) {
    case "search":
      // An index still being built would answer "nothing found"; let the page ask the server.
      if (!sync.status().searchReady) throw Object.assign(new Error("The search index is not built yet."), { code: "unavailable" as const });
      return searchDocuments(replica.driver, request.query, request.options);
    case "query":
      return runReadQuery(replica.driver, request.name, request.params);
    case "refresh":
      return sync.refresh(request.shapes);
  }
}

self.addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.kind === "open") {
    opening ??= open(message).catch((error: Error) => {
      setStatus({ phase: "error", error: error.message }, true);
      throw error;
    });
    return;
  }
  answer(message).then(
    (result) => post({ kind: "response", requestId: message.requestId, ok: true, result }),
    (error: Error & { code?: "closed" | "unavailable" }) => {
      const response: ResponseMessage = {
        kind: "response", requestId: message.requestId, ok: false, error: error.message,
        code: error instanceof ReplicaQueryError ? "bad-request" : (error.code ?? "failed"),
      };
      post(response);
    },
  );
});

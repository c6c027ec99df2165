import type { ReadQueryMap, ReadQueryName } from "./queries";
import type { SearchOptions, SearchResult } from "./search";
import type { SearchProgress } from "./search-index";
import type { SyncMode, SyncStatus } from "./sync";

/**
 * Messages between the page and the replica worker, and between tabs (BroadcastChannel). Types
 * only (plus naming helpers), so the page bundle imports none of the worker's code.
 */

/** Bump when a message changes shape; a stale cached worker then refuses instead of misbehaving. */
export const REPLICA_PROTOCOL_VERSION = 1;

export interface OpenMessage {
  kind: "open";
  protocol: number;
  userId: string;
  accountId: string;
  /** Absolute URL of the gateway's shape routes, e.g. https://portal.example/sync/shapes. */
  syncUrl: string;
  syncMode: SyncMode;
  intervalMs?: number;
}

export type ReplicaRequest =
  | { kind: "search"; requestId: string; query: string; options?: SearchOptions }
  | { kind: "query"; requestId: string; name: ReadQueryName; params: ReadQueryMap[ReadQueryName]["params"] }
  | { kind: "refresh"; requestId: string; shapes?: string[] }
  | { kind: "wipe"; requestId: string };

export type WorkerRequest = OpenMessage | ReplicaRequest;

export type ReplicaErrorCode =
  /** No worker answered in time (no leader yet, leader busy or gone): fall back to the server. */
  | "unavailable"
  /** The request itself is wrong (unknown query, bad params). */
  | "bad-request"
  /** SQLite or OPFS failed. */
  | "failed"
  /** The replica was wiped (logout or access denied) or closed. */
  | "closed";

export type ResponseMessage =
  | { kind: "response"; requestId: string; ok: true; result: unknown }
  | { kind: "response"; requestId: string; ok: false; code: ReplicaErrorCode; error: string };

export type WipeReason = "logout" | "access-denied";

export interface WorkerStatus extends Omit<SyncStatus, "phase"> {
  phase: SyncStatus["phase"] | "opening" | "error" | "wiped";
  error: string | null;
  wipedReason: WipeReason | null;
  /** Milliseconds from "open" to the database being usable (WASM load + OPFS + migrations). */
  openMs: number | null;
  /** Progress of the last search index build (the build runs once after the initial sync). */
  index: SearchProgress | null;
  /**
   * Since the database opened: wall time and how much of it this worker's thread was busy; with a
   * snapshot worker, its time converting snapshot bodies (another thread) and the MB it read.
   */
  timing?: { wallMs: number; busyMs: number; snapshotWorkerDecodeMs?: number; snapshotWorkerMB?: number };
}

export type WorkerEvent = ResponseMessage | { kind: "status"; status: WorkerStatus } | { kind: "wiped"; reason: WipeReason };

/** Tab-to-tab messages on the replica's BroadcastChannel. */
export type ChannelMessage =
  | { kind: "request"; from: string; request: ReplicaRequest }
  | { kind: "response"; to: string; response: ResponseMessage }
  | { kind: "status"; status: WorkerStatus }
  | { kind: "leader"; tabId: string }
  | { kind: "hello"; from: string }
  | { kind: "wiped"; reason: WipeReason };

export type { SearchOptions, SearchResult, ReadQueryMap, ReadQueryName, SyncMode };

const safe = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, "_");

/** One replica per user and account: its lock, its channel, its SAH pool, its database. */
export function replicaNames(userId: string, accountId: string) {
  const key = `${safe(userId)}-${safe(accountId)}`;
  return {
    lock: `ledgerlight-replica-${key}`,
    channel: `ledgerlight-replica-${key}`,
    vfs: `ledgerlight-${key}`,
    /** Under one parent, so a logout can find and remove every replica of this origin. */
    directory: `${REPLICA_OPFS_ROOT}/${key}`,
  };
}

export const REPLICA_OPFS_ROOT = ".ledgerlight-replicas";
/** Origin-wide channel: "wipe everything" reaches every tab's leader, whatever account it shows. */
export const REPLICA_CONTROL_CHANNEL = "ledgerlight-replica-control";

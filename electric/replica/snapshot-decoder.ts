import type { SqlDriver } from "./driver";
import { decodeSnapshot, type DecodedSnapshot } from "./snapshot-decode";

/**
 * The initial snapshots' bodies, converted off the SQLite worker's thread (docs/decisions/008,
 * addendum "snapshot worker"). The replica worker's stream asks for an offset -1 response through
 * `SnapshotDecoderClient.fetch`; the snapshot worker (snapshot-worker.ts, `serveSnapshotDecoder`)
 * makes the request itself, reads the body as bytes, converts it to SQLite's binary JSON with its
 * own in-memory SQLite and runs the same check as the in-thread path (`decodeSnapshot`). The blob
 * comes back transferred (no copy), with the response's status and headers and, as its body, only
 * the control messages for the client to parse. The replica's thread never sees the text: it only
 * binds the blob in the commit, and meanwhile the other thread converts the next shape.
 *
 * Both ends talk over anything with postMessage and message events: a Worker in the browser, a
 * MessageChannel's ports in the Node tests.
 */

export interface DecoderEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  addEventListener(type: "error", listener: (event: Event) => void): void;
  start?(): void;
  terminate?(): void;
  close?(): void;
}

/**
 * Bump when a message changes. The two bundles are fetched separately, so a deploy between the two
 * requests could pair them wrongly; a mismatched worker answers "unavailable" and the replica
 * worker converts in its own thread.
 */
export const SNAPSHOT_DECODER_PROTOCOL = 1;

export type DecoderRequest =
  | { kind: "fetch"; protocol: number; id: number; url: string; headers: [string, string][]; columns: string[]; minBytes: number }
  | { kind: "abort"; id: number };

export type DecoderReply =
  | {
      kind: "response"; id: number; status: number; statusText: string; headers: [string, string][];
      /** The whole body, or only the control messages when `decoded` holds the inserts. */
      body: ArrayBuffer;
      decoded: DecodedSnapshot | null;
      /** Resource Timing's nextHopProtocol of the request (the replica's own timeline lacks it). */
      protocol: string | null;
      bytes: number;
      decodeMs: number;
    }
  | { kind: "error"; id: number; name: string; message: string }
  /** The snapshot worker has no SQLite: the client stops using it (requests fall back to the thread). */
  | { kind: "unavailable"; error: string };

/** This request (and every later one) must go the in-thread way: the snapshot worker is gone. */
export class DecoderUnavailableError extends Error {
  override name = "DecoderUnavailableError";
}

/** The snapshot worker's side: answers fetch requests until the endpoint closes. */
export function serveSnapshotDecoder(endpoint: DecoderEndpoint, openDriver: () => Promise<SqlDriver>, fetchFn: typeof fetch = (i, init) => fetch(i, init)): void {
  const driver = openDriver();
  const aborts = new Map<number, AbortController>();
  const post = (reply: DecoderReply, transfer: Transferable[] = []) => endpoint.postMessage(reply, transfer);
  let failure: string | null = null;
  driver.catch((error: Error) => {
    failure = error.message;
    post({ kind: "unavailable", error: failure });
  });

  const answer = async (request: Extract<DecoderRequest, { kind: "fetch" }>) => {
    const abort = new AbortController();
    aborts.set(request.id, abort);
    try {
      // No request without a SQLite to convert its answer: the client asks again in its own thread.
      const sqlite = await driver.catch(() => null);
      if (!sqlite) return post({ kind: "error", id: request.id, name: "DecoderUnavailableError", message: failure ?? "no SQLite" });
      if (request.protocol !== SNAPSHOT_DECODER_PROTOCOL) {
        return post({ kind: "error", id: request.id, name: "DecoderUnavailableError", message: `snapshot worker speaks protocol ${SNAPSHOT_DECODER_PROTOCOL}, not ${request.protocol}` });
      }
      const response = await fetchFn(request.url, { headers: request.headers, signal: abort.signal });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const started = performance.now();
      const decoded = response.status === 200 && bytes.byteLength >= request.minBytes
        ? decodeSnapshot(sqlite, bytes, response.headers.get("electric-schema"), request.columns)
        : null;
      const decodeMs = performance.now() - started;
      const body = decoded ? new TextEncoder().encode(decoded.controls) : bytes;
      const transfer: Transferable[] = [ownBuffer(body)];
      if (decoded) {
        decoded.jsonb = exclusive(decoded.jsonb);
        transfer.push(decoded.jsonb.buffer as ArrayBuffer);
      }
      post({
        kind: "response", id: request.id, status: response.status, statusText: response.statusText, headers: [...response.headers],
        body: transfer[0] as ArrayBuffer, decoded, protocol: protocolOf(request.url), bytes: bytes.byteLength, decodeMs,
      }, transfer);
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      post({ kind: "error", id: request.id, name, message });
    } finally {
      aborts.delete(request.id);
    }
  };

  endpoint.addEventListener("message", (event: MessageEvent<DecoderRequest>) => {
    const request = event.data;
    if (request.kind === "abort") aborts.get(request.id)?.abort();
    else if (request.kind === "fetch") void answer(request);
  });
  endpoint.start?.();
}

export interface DecodedResponse {
  response: Response;
  /** The snapshot's inserts, for ShapeApplier.takeDecodedSnapshot; null: `response` has the whole body. */
  decoded: DecodedSnapshot | null;
}

interface Pending {
  resolve: (value: DecodedResponse) => void;
  reject: (error: Error) => void;
  done: () => void;
}

/** The replica worker's side. */
export class SnapshotDecoderClient {
  private readonly pending = new Map<number, Pending>();
  private failure: string | null = null;
  private counter = 0;
  /** The last snapshot request's HTTP version, for SyncController's "auto" mode. */
  lastProtocol: string | null = null;
  /** Time the snapshot worker spent converting and checking bodies, and the bytes it read. */
  decodeMs = 0;
  bytes = 0;

  constructor(private readonly endpoint: DecoderEndpoint) {
    endpoint.addEventListener("message", (event: MessageEvent<DecoderReply>) => this.onReply(event.data));
    // A module worker that cannot load (missing build, old browser) reports it here.
    endpoint.addEventListener("error", (event: Event) => {
      this.fail(`The snapshot worker failed: ${(event as ErrorEvent).message || "could not load it"}`);
      event.preventDefault?.();
    });
    endpoint.start?.();
  }

  get available(): boolean {
    return this.failure === null;
  }

  /**
   * The request `url` with `init`'s headers, made by the snapshot worker. A 200 response from
   * `minBytes` bytes on is converted there when it qualifies (decodeSnapshot); anything else comes
   * back as it was. Rejects like fetch would (TypeError when offline, AbortError when `init.signal`
   * aborts), or with DecoderUnavailableError when the worker cannot do it: ask again in the thread.
   */
  fetch(url: string, init: RequestInit | undefined, columns: readonly string[], minBytes: number): Promise<DecodedResponse> {
    if (this.failure) return Promise.reject(new DecoderUnavailableError(this.failure));
    const signal = init?.signal ?? null;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const id = (this.counter += 1);
    return new Promise<DecodedResponse>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        this.endpoint.postMessage({ kind: "abort", id } satisfies DecoderRequest);
        reject(abortError(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, { resolve, reject, done: () => signal?.removeEventListener("abort", onAbort) });
      const request: DecoderRequest = { kind: "fetch", protocol: SNAPSHOT_DECODER_PROTOCOL, id, url, headers: [...new Headers(init?.headers)], columns: [...columns], minBytes };
      this.endpoint.postMessage(request);
    });
  }

  /** Ends the snapshot worker (it holds a WASM heap as big as the largest snapshot); later calls reject as unavailable. */
  close(): void {
    this.fail("The snapshot worker was closed.");
    this.endpoint.terminate?.();
    this.endpoint.close?.();
  }

  private onReply(reply: DecoderReply): void {
    if (reply.kind === "unavailable") return this.fail(`The snapshot worker has no SQLite: ${reply.error}`);
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    pending.done();
    if (reply.kind === "error") {
      if (reply.name === "DecoderUnavailableError") this.failure ??= reply.message;
      pending.reject(rebuildError(reply.name, reply.message));
      return;
    }
    this.lastProtocol = reply.protocol ?? this.lastProtocol;
    this.decodeMs += reply.decodeMs;
    this.bytes += reply.bytes;
    const body = NULL_BODY_STATUSES.includes(reply.status) ? null : reply.body;
    pending.resolve({ response: new Response(body, { status: reply.status, statusText: reply.statusText, headers: reply.headers }), decoded: reply.decoded });
  }

  private fail(reason: string): void {
    this.failure ??= reason;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.done();
      pending.reject(new DecoderUnavailableError(reason));
    }
  }
}

const NULL_BODY_STATUSES = [101, 103, 204, 205, 304];

/** The error as fetch would have thrown it: the stream's backoff treats a TypeError as "offline, retry". */
function rebuildError(name: string, message: string): Error {
  if (name === "DecoderUnavailableError") return new DecoderUnavailableError(message);
  if (name === "TypeError") return new TypeError(message);
  if (name === "AbortError") return new DOMException(message, "AbortError");
  return Object.assign(new Error(message), { name });
}

function abortError(signal: AbortSignal | null): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException("The operation was aborted.", "AbortError");
}

/** A typed array's bytes as an ArrayBuffer of their own, so transferring it moves exactly them. */
function exclusive(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return exclusive(bytes).buffer as ArrayBuffer;
}

function protocolOf(url: string): string | null {
  if (typeof performance === "undefined" || typeof performance.getEntriesByName !== "function") return null;
  const entries = performance.getEntriesByName(url, "resource") as PerformanceResourceTiming[];
  return entries.at(-1)?.nextHopProtocol || null;
}

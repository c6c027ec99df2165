import { randomInt } from "node:crypto";

/**
 * The request side and the response envelope of the Electric HTTP Shape API v1 as
 * @electric-sql/client 1.5.x uses it (/work/shared/ELECTRIC-PROTOCOL.md §1). Only offset, handle,
 * live, live_sse, cursor and log are read from the client; table, where, params, columns, replica,
 * cache-buster, expired_handle and anything else are ignored (the shape is server-defined).
 */

export type RequestedOffset = { kind: "snapshot" } | { kind: "now" } | { kind: "position"; position: number };

export interface ShapeParams {
  offset: RequestedOffset;
  handle: string | null;
  live: boolean;
  sse: boolean;
  cursor: string | null;
}

export type ParseResult = { ok: true; params: ShapeParams } | { ok: false; errors: Record<string, string[]> };

// Our offsets are "<position>_0"; "<n>_inf" (Electric's snapshot-end form) and any op part are
// accepted, the op part carries no meaning here (every position is one log entry).
const OFFSET_PATTERN = /^(\d{1,15})_(\d{1,15}|inf)$/;
const SUBSET_PARAMS = ["subset__where", "subset__params", "subset__limit", "subset__offset", "subset__order_by", "subset__where_expr", "subset__order_by_expr"];

export function parseShapeParams(search: URLSearchParams): ParseResult {
  const errors: Record<string, string[]> = {};
  const fail = (field: string, message: string) => (errors[field] ??= []).push(message);

  const rawOffset = search.get("offset");
  let offset: RequestedOffset | null = null;
  if (rawOffset === null || rawOffset === "") fail("offset", "can't be blank");
  else if (rawOffset === "-1") offset = { kind: "snapshot" };
  else if (rawOffset === "now") offset = { kind: "now" };
  else {
    const match = OFFSET_PATTERN.exec(rawOffset);
    if (match) offset = { kind: "position", position: Number(match[1]) };
    else fail("offset", "has invalid format");
  }

  const handle = search.get("handle") || null;
  if (offset?.kind === "position" && !handle) fail("handle", "can't be blank when offset != -1");

  const live = parseBoolean(search, "live", fail);
  const sse = parseBoolean(search, "live_sse", fail) || parseBoolean(search, "experimental_live_sse", fail);
  if (live && offset && offset.kind !== "position") fail("live", "can't be true unless offset is not -1 or now");
  if (sse && !live) fail("live_sse", "can't be true unless live is also true");

  const log = search.get("log");
  if (log !== null && log !== "full") fail("log", "only full is supported by this server");
  if (SUBSET_PARAMS.some((name) => search.has(name))) fail("subset", "subset snapshots are not supported by this server");

  if (Object.keys(errors).length > 0 || !offset) return { ok: false, errors };
  return { ok: true, params: { offset, handle, live, sse, cursor: search.get("cursor") } };
}

function parseBoolean(search: URLSearchParams, name: string, fail: (field: string, message: string) => void): boolean {
  const value = search.get(name);
  if (value === null || value === "false") return false;
  if (value === "true") return true;
  fail(name, "is invalid");
  return false;
}

export function formatOffset(position: number): string {
  return `${position}_0`;
}

const CURSOR_EPOCH_SECONDS = Date.UTC(2024, 9, 9) / 1000;

/**
 * Electric's live cache-buster (plug/utils.ex get_next_interval_timestamp): seconds since
 * 2024-10-09 rounded up to the long-poll interval, moved on by a random step when that would not
 * advance past the client's cursor. It only has to change between polls.
 */
export function nextCursor(previous: string | null, intervalSeconds: number): string {
  const now = Date.now() / 1000 - CURSOR_EPOCH_SECONDS;
  const interval = Math.max(1, Math.round(intervalSeconds));
  let cursor = Math.ceil(now / interval) * interval;
  const before = previous ? Number(previous) : NaN;
  if (Number.isFinite(before) && cursor <= before) cursor = before + randomInt(1, 3601);
  return String(cursor);
}

export const BASE_HEADERS: Record<string, string> = {
  // Account-scoped data behind a cookie: never in a shared cache (ELECTRIC-PROTOCOL §1.15).
  "cache-control": "private, no-store",
  "content-type": "application/json; charset=utf-8",
};

export function upToDateMessage(globalLastSeen: number): string {
  return `{"headers":{"control":"up-to-date","global_last_seen_lsn":"${globalLastSeen}"}}`;
}

export function jsonArray(messages: readonly string[]): string {
  return `[${messages.join(",")}]`;
}

/**
 * Server-sent events: one `data:` frame per message (Electric's Encoder.SSE), the batch closed by
 * up-to-date at `upToDateAt`, which the client takes as its next offset (`<lsn>_0`).
 */
export function sseBatch(messages: readonly string[], upToDateAt: number): Buffer {
  let text = "";
  for (const message of messages) text += `data: ${message}\n\n`;
  return Buffer.from(`${text}data: ${upToDateMessage(upToDateAt)}\n\n`);
}

export const SSE_KEEP_ALIVE = Buffer.from(": keep-alive\n\n");

/**
 * New changes of one shape definition after one offset, closed by up-to-date at `head`: what a
 * wake-up answers every held request of that definition and offset with. Each encoding is built
 * once, on first use, as one Buffer shared by all of them (node:http writes it without a copy): the
 * JSON array for long-polls, the SSE frames for event streams. With 1,000 live clients per commit
 * that is one serialisation instead of 1,000.
 */
export class LiveBatch {
  #json: Buffer | null = null;
  #sse: Buffer | null = null;

  constructor(
    readonly messages: readonly string[],
    readonly head: number,
  ) {}

  get json(): Buffer {
    return (this.#json ??= Buffer.from(jsonArray([...this.messages, upToDateMessage(this.head)])));
  }

  get sse(): Buffer {
    return (this.#sse ??= sseBatch(this.messages, this.head));
  }
}

/**
 * A shape answer before it becomes a fetch Response or is written to a node:http response: the
 * Remix route and the tests take `toResponse()`, the node:http fast path (server.ts) writes it directly (no
 * Request/Response objects per long-poll). A live body is shared by every waiter of one shape
 * definition at one offset, so it is encoded once.
 */
export interface ShapeReply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array | EventStreamBody | PartsBody;
}

/**
 * A body in pieces, sent in order (a snapshot's, see snapshotResponse): written part by part, never
 * joined into one body-sized Buffer.
 */
export interface PartsBody {
  kind: "parts";
  parts: readonly Uint8Array[];
  byteLength: number;
}

export function isParts(body: ShapeReply["body"]): body is PartsBody {
  return typeof body === "object" && "kind" in body && body.kind === "parts";
}

/**
 * A live SSE body (sse.server.ts). `pump` writes frames until the stream is over (its deadline, a
 * refetch, the engine closing) or `signal` aborts, and then resolves; the writer ends the response.
 * A push interface rather than a ReadableStream: the node:http fast path hands each shared frame
 * Buffer straight to `res.write`, with no web-stream machinery per stream and change.
 */
export interface EventStreamBody {
  kind: "event-stream";
  pump(write: (chunk: Uint8Array) => void, signal: AbortSignal): Promise<void>;
}

export function isEventStream(body: ShapeReply["body"]): body is EventStreamBody {
  return typeof body === "object" && "kind" in body && body.kind === "event-stream";
}

export function toResponse(reply: ShapeReply): Response {
  // fetch Responses are for the tests and the Remix route (not the portal's GETs): one Buffer is fine.
  const body = isEventStream(reply.body) ? eventStreamToWeb(reply.body) : isParts(reply.body) ? Buffer.concat(reply.body.parts) : reply.body;
  return new Response(body as BodyInit, { status: reply.status, headers: reply.headers });
}

/** For the Remix route and the tests (fetch Responses): cancelling the web stream ends the pump. */
function eventStreamToWeb(body: EventStreamBody): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      body
        .pump((chunk) => {
          if (!stop.signal.aborted) controller.enqueue(chunk);
        }, stop.signal)
        .then(
          () => !stop.signal.aborted && controller.close(),
          (error: unknown) => !stop.signal.aborted && controller.error(error),
        );
    },
    cancel() {
      stop.abort();
    },
  });
}

export function badRequest(errors: Record<string, string[]>): ShapeReply {
  return { status: 400, headers: BASE_HEADERS, body: JSON.stringify({ message: "Invalid request", errors }) };
}

const MUST_REFETCH_BODY = `[{"headers":{"control":"must-refetch"}}]`;

/** 409 with a never-seen handle: the client drops its rows and starts again at offset -1. */
export function mustRefetch(newHandle: string): ShapeReply {
  return { status: 409, headers: { ...BASE_HEADERS, "electric-handle": newHandle }, body: MUST_REFETCH_BODY };
}

export interface ShapeResponseParts {
  handle: string;
  offsetPosition: number;
  messages: readonly string[];
  /** Set when the body ends with up-to-date; its global_last_seen_lsn. */
  upToDateAt: number | null;
  /** Non-live responses carry the schema; live ones the cursor. */
  schema: Record<string, unknown> | null;
  cursor: string | null;
}

export function shapeResponse(parts: ShapeResponseParts): ShapeReply {
  const messages = parts.upToDateAt === null ? parts.messages : [...parts.messages, upToDateMessage(parts.upToDateAt)];
  return shapeReply({ ...parts, body: jsonArray(messages) });
}

/**
 * A snapshot's answer: its messages (see snapshot.server.ts: UTF-8, each followed by a comma) and
 * the up-to-date message as one JSON array, in pieces: `[`, the message parts as they are,
 * up-to-date and `]`. No body-sized Buffer is built (fresh memory is expensive here, see
 * snapshot.server.ts).
 */
export function snapshotResponse(
  parts: Omit<ShapeResponseParts, "messages" | "upToDateAt" | "cursor"> & { upToDateAt: number; messages: { parts: readonly Uint8Array[]; byteLength: number } },
): ShapeReply {
  const end = Buffer.from(`${upToDateMessage(parts.upToDateAt)}]`);
  const body: PartsBody = { kind: "parts", parts: [OPEN, ...parts.messages.parts, end], byteLength: OPEN.length + parts.messages.byteLength + end.length };
  return shapeReply({ handle: parts.handle, offsetPosition: parts.offsetPosition, upToDateAt: parts.upToDateAt, schema: parts.schema, cursor: null, body });
}
const OPEN = Buffer.from("[");

/** The envelope around a body built elsewhere (a live body shared by many requests). */
export function shapeReply(parts: Omit<ShapeResponseParts, "messages"> & { body: string | Uint8Array | PartsBody }): ShapeReply {
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    "electric-handle": parts.handle,
    "electric-offset": formatOffset(parts.offsetPosition),
  };
  if (parts.schema) headers["electric-schema"] = JSON.stringify(parts.schema);
  if (parts.cursor !== null) headers["electric-cursor"] = parts.cursor;
  if (parts.upToDateAt !== null) headers["electric-up-to-date"] = "";
  return { status: 200, headers, body: parts.body };
}

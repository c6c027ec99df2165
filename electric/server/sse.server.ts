import type { ChangeRead } from "./change-reader.server";
import type { ShapeEngine } from "./engine.server";
import { mintHandle } from "./handles.server";
import { BASE_HEADERS, formatOffset, mustRefetch, nextCursor, SSE_KEEP_ALIVE, sseBatch, type ShapeReply } from "./protocol.server";
import type { ShapeRequestDefinition } from "./shape-definition.server";
import type { TableSchema } from "./table-schema.server";

// Electric's keepalive_interval; the client's watchdog gives up on a silent live request at 45 s.
const KEEP_ALIVE_MS = 21_000;

export interface SseContext {
  definition: ShapeRequestDefinition;
  schema: TableSchema;
  handle: string;
  hash: string;
  from: number;
  cursor: string | null;
}

/**
 * Live mode over Server-Sent Events (client option `liveSse: true`, ELECTRIC-PROTOCOL §1.8): one
 * `data:` frame per message, every batch closed by up-to-date. In SSE mode the client resumes from
 * `<global_last_seen_lsn>_0`, so that value is the position through which this shape was delivered.
 * The stream closes after `sseMs`; a shape that must be refetched simply ends it, and the next
 * request gets the 409 (the first read below, before the headers, finds it).
 *
 * Between batches a stream waits in the live hub like a held long-poll, so every stream of one
 * definition at one position is woken by one shared change-log read and written the batch's one
 * SSE Buffer (LiveBatch.sse): per commit and stream there is no query, no JSON and no new request.
 * What the hub declines (a condition type it does not compare in memory, more entries than one
 * read, truncation, compaction) is read per stream, as before.
 */
export async function serveSse(engine: ShapeEngine, context: SseContext, requestSignal: AbortSignal): Promise<ShapeReply> {
  const first = await engine.readSince(context.definition, context.schema, context.hash, context.from);
  if (first.kind === "must-refetch") return mustRefetch(mintHandle(context.hash));
  return {
    status: 200,
    headers: {
      ...BASE_HEADERS,
      "content-type": "text/event-stream",
      "electric-handle": context.handle,
      "electric-offset": formatOffset(context.from),
      "electric-cursor": nextCursor(context.cursor, engine.options.longPollMs / 1000),
      "x-accel-buffering": "no",
    },
    body: { kind: "event-stream", pump: (write, signal) => pumpEvents(engine, context, first, write, AbortSignal.any([signal, requestSignal])) },
  };
}

async function pumpEvents(
  engine: ShapeEngine,
  context: SseContext,
  first: ChangeRead,
  write: (chunk: Uint8Array) => void,
  signal: AbortSignal,
): Promise<void> {
  const { definition, schema, hash } = context;
  // Ends between 3/4 of sseMs and sseMs: streams that started together (every client after a
  // restart, or a benchmark's) would otherwise reconnect together every sseMs for ever.
  const deadline = Date.now() + engine.options.sseMs * (0.75 + 0.25 * Math.random());
  const over = () => signal.aborted || engine.closed || Date.now() >= deadline;
  let position = context.from;
  let caughtUp = false;
  /** One read of this stream's own (what the hub declined); false when the shape must be refetched. */
  const readOwn = (read: ChangeRead): boolean => {
    if (read.kind === "must-refetch") return false;
    if (read.messages.length > 0) write(sseBatch(read.messages, read.offsetPosition));
    position = read.offsetPosition;
    caughtUp = read.complete;
    return true;
  };
  if (!readOwn(first)) return;
  while (!over()) {
    const wait = Math.min(deadline - Date.now(), KEEP_ALIVE_MS);
    if (!caughtUp) {
      if (!readOwn(await engine.readSince(definition, schema, hash, position))) return;
      continue;
    }
    const live = engine.waitLive({ definition, schema, hash, position }, wait, signal);
    if (live) {
      const result = await live;
      if (result.kind === "changes") write(result.batch.sse);
      else if (result.kind === "idle" && !over()) write(SSE_KEEP_ALIVE);
      if (result.kind === "fallback") {
        position = result.position;
        caughtUp = false; // read it ourselves
      } else {
        position = result.offsetPosition;
      }
      continue;
    }
    // Not for the hub: read, then wait for the table to change. The version is noted before the
    // read, so a change that lands between the read and the wait still wakes it.
    const since = engine.notifier.version;
    if (!readOwn(await engine.readSince(definition, schema, hash, position))) return;
    if (!caughtUp) continue;
    await engine.notifier.waitFor(definition.table, since, wait, signal);
    if (engine.notifier.version === since && !over()) write(SSE_KEEP_ALIVE);
  }
}

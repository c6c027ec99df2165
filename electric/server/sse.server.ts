import type { ChangeRead } from "./change-reader.server";
import type { ShapeEngine } from "./engine.server";
import { mintHandle } from "./handles.server";
import { BASE_HEADERS, formatOffset, mustRefetch, nextCursor, upToDateMessage, type ShapeReply } from "./protocol.server";
import type { ShapeRequestDefinition } from "./shape-definition.server";
import type { TableSchema } from "./table-schema.server";

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
 * request gets the 409.
 */
export async function serveSse(engine: ShapeEngine, context: SseContext, signal: AbortSignal): Promise<ShapeReply> {
  const { definition, schema } = context;
  let position = context.from;
  // Noted before each read: a change that lands between the read and the wait still wakes it.
  let since = engine.notifier.version;
  const first = await engine.readSince(definition, schema, context.hash, position);
  if (first.kind === "must-refetch") return mustRefetch(mintHandle(context.hash));

  const encoder = new TextEncoder();
  const deadline = Date.now() + engine.options.sseMs;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      try {
        let read: ChangeRead = first;
        for (;;) {
          if (read.kind === "must-refetch") break;
          if (read.messages.length > 0) {
            for (const message of read.messages) send(`data: ${message}\n\n`);
            send(`data: ${upToDateMessage(read.offsetPosition)}\n\n`);
          }
          position = read.offsetPosition;
          const remaining = deadline - Date.now();
          if (remaining <= 0 || cancelled || signal.aborted || engine.closed) break;
          if (read.complete) {
            await engine.notifier.waitFor(definition.table, since, Math.min(remaining, KEEP_ALIVE_MS), signal);
            if (cancelled || signal.aborted) break;
            if (engine.notifier.version === since) send(`: keep-alive\n\n`);
          }
          since = engine.notifier.version;
          read = await engine.readSince(definition, schema, context.hash, position);
        }
        controller.close();
      } catch (error) {
        if (!cancelled) controller.error(error);
      }
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    status: 200,
    body,
    headers: {
      ...BASE_HEADERS,
      "content-type": "text/event-stream",
      "electric-handle": context.handle,
      "electric-offset": formatOffset(context.from),
      "electric-cursor": nextCursor(context.cursor, engine.options.longPollMs / 1000),
      "x-accel-buffering": "no",
    },
  };
}

import { isChangeMessage, isControlMessage, ShapeStream, type Row } from "@electric-sql/client";
// undici is not a direct dependency: it comes with @remix-run/node. Its own fetch + Agent, because
// Node's bundled undici does not export Agent and mixing versions of the two is not guaranteed.
import { Agent, fetch as undiciFetch } from "undici";
import { setMaxListeners } from "node:events";
import { log } from "./portal";

/**
 * N live `@electric-sql/client` ShapeStreams in this process against the portal's gateway, all with
 * one contact's session cookie; each records when it first sees a given value in a given row.
 */

const asText = (value: string) => value;
const TEXT_PARSER = { int2: asText, int4: asText, int8: asText, bool: asText, float4: asText, float8: asText, json: asText, jsonb: asText };

export interface LiveClients {
  size: number;
  /**
   * Call before the commit: resolves with each client's receive time (performance.now()) of the row
   * `rowId` with `column` = `value`, or null for a client that did not see it within `timeoutMs`.
   */
  watch(rowId: string, column: string, value: string, timeoutMs: number): Promise<(number | null)[]>;
  errors(): string[];
  close(): Promise<void>;
}

interface Client {
  upToDate: boolean;
  /** When this client saw the current watch's value. */
  seenAt: number | null;
  error: string | null;
}

interface Watch {
  rowId: string;
  column: string;
  value: string;
  check(): void;
}

export async function openLiveClients(options: {
  url: string;
  params: { account: string };
  cookie: string;
  count: number;
  /** How many streams take their snapshot at the same time while starting. */
  startBatch?: number;
}): Promise<LiveClients> {
  // One long-poll per client: far more connections per origin than any default pool would allow.
  const agent = new Agent({ connections: options.count + 50, pipelining: 1, headersTimeout: 90_000, bodyTimeout: 90_000, keepAliveTimeout: 30_000 });
  const fetchClient = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as typeof fetch;
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // every stream listens to it
  const clients: Client[] = [];
  let watch: Watch | null = null;
  const started = performance.now();

  const startOne = () =>
    new Promise<void>((resolve) => {
      const client: Client = { upToDate: false, seenAt: null, error: null };
      clients.push(client);
      const stream = new ShapeStream<Row>({
        url: options.url,
        params: options.params,
        headers: { cookie: options.cookie },
        signal: abort.signal,
        parser: TEXT_PARSER,
        fetchClient,
        warnOnHttp: false,
        backoffOptions: { initialDelay: 100, maxDelay: 2_000, multiplier: 2 },
        onError: (error) => {
          client.error = error.message;
          resolve();
        },
      });
      stream.subscribe(
        (messages) => {
          const now = performance.now();
          for (const message of messages) {
            if (isChangeMessage(message)) {
              const value = message.value as Record<string, unknown>;
              if (watch && client.seenAt === null && String(value.id) === watch.rowId && value[watch.column] === watch.value) {
                client.seenAt = now;
                watch.check();
              }
            } else if (isControlMessage(message) && message.headers.control === "up-to-date" && !client.upToDate) {
              client.upToDate = true;
              resolve();
            }
          }
        },
        (error) => {
          client.error = (error as Error).message;
          resolve();
        },
      );
    });

  const batch = options.startBatch ?? 50;
  for (let i = 0; i < options.count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, options.count - i) }, startOne));
  }
  const failed = clients.filter((c) => c.error);
  log(`  ${options.count} live clients up to date in ${Math.round(performance.now() - started)} ms${failed.length ? `, ${failed.length} failed: ${failed[0].error}` : ""}`);

  return {
    size: clients.length,
    watch(rowId, column, value, timeoutMs) {
      for (const client of clients) client.seenAt = null;
      return new Promise((resolve) => {
        let pending = clients.filter((c) => !c.error).length;
        const finish = () => {
          clearTimeout(timer);
          watch = null;
          resolve(clients.map((c) => c.seenAt));
        };
        const timer = setTimeout(finish, timeoutMs);
        watch = {
          rowId, column, value,
          check: () => {
            pending -= 1;
            if (pending <= 0) finish();
          },
        };
        if (pending === 0) finish();
      });
    },
    errors: () => clients.flatMap((c) => (c.error ? [c.error] : [])),
    async close() {
      abort.abort();
      await agent.close().catch(() => undefined);
    },
  };
}

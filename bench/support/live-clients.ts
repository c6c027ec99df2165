import { isChangeMessage, isControlMessage, ShapeStream, type Row } from "@electric-sql/client";
// undici is not a direct dependency: it comes with @remix-run/node. Its own fetch + Agent, because
// Node's bundled undici does not export Agent and mixing versions of the two is not guaranteed.
import { Agent, Client as UndiciClient, fetch as undiciFetch } from "undici";
import { fork, type ChildProcess } from "node:child_process";
import { Readable } from "node:stream";
import { setMaxListeners } from "node:events";
import { fileURLToPath } from "node:url";
import { log, processCpuMs } from "./portal";

/**
 * N live `@electric-sql/client` ShapeStreams against the portal's gateway, all with one contact's
 * session cookie; each records when it first sees a given value in a given row.
 *
 * The streams run in child processes of at most STREAMS_PER_PROCESS each (so 1 000 clients are two
 * processes): one Node process spends about 1 ms of CPU per stream and change (undici fetch, the
 * client's state machine, GC), so 1 000 streams in the benchmark's own process measured mostly
 * that process's queue (~1 s per commit), not the portal. Receive times travel as wall-clock
 * (performance.timeOrigin + now()) and are mapped back to this process's performance.now().
 *
 * The streams' fetch: by default undici's `request()` on one connection per stream, its answer
 * wrapped in a fetch Response (what @electric-sql/client reads: status, headers, text/json). That
 * is a fraction of the CPU of undici's full fetch() per long-poll, and the client processes share
 * the 2 cores with the portal, so their CPU shows up as commit → client latency.
 * BENCH_LIVE_FETCH=previous keeps undici's fetch() over one shared Agent (the benchmark before).
 *
 * `sse: true` gives the streams `liveSse: true`: once up to date each holds one Server-Sent Events
 * response open (its body streamed, not buffered) instead of a long-poll per change. The client
 * falls back to long-polling by itself after 3 SSE responses that ended within 1 s (proxy
 * buffering), so every request the streams send is counted by kind (`requests()`): in SSE mode,
 * live requests without `live_sse` mean some stream fell back.
 */
const STREAMS_PER_PROCESS = 500;
const CHILD_FLAG = "LL_LIVE_CLIENTS_CHILD";

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
  /** CPU (user + system) the streams' processes used so far, in ms (Linux /proc; NaN elsewhere). */
  cpuMs(): number;
  /** Requests the streams sent so far, by kind (as of the last watch()). */
  requests(): RequestCounts;
  close(): Promise<void>;
}

interface Client {
  upToDate: boolean;
  /** When this client saw the current watch's value. */
  seenAt: number | null;
  /** The last change message and when it came: a watch armed just after the change still counts it. */
  last: { value: Record<string, unknown>; at: number } | null;
  error: string | null;
}

interface Watch {
  rowId: string;
  column: string;
  value: string;
  check(): void;
}

export interface RequestCounts {
  /** Live requests with live_sse=true (each an SSE response held open). */
  sse: number;
  /** Live long-polls (live=true without live_sse). */
  longPoll: number;
  /** Snapshots and catch-up requests (not live). */
  catchUp: number;
}

const noRequests = (): RequestCounts => ({ sse: 0, longPoll: 0, catchUp: 0 });

export interface LiveClientOptions {
  url: string;
  /** liveSse: true on every stream. */
  sse?: boolean;
  params: { account: string };
  cookie: string;
  count: number;
  /** How many streams take their snapshot at the same time while starting. */
  startBatch?: number;
}

type ToChild = { type: "start"; options: LiveClientOptions } | { type: "watch"; rowId: string; column: string; value: string; timeoutMs: number } | { type: "close" };
type FromChild = { type: "started" } | { type: "seen"; times: (number | null)[]; errors: string[]; requests: RequestCounts } | { type: "closed" };

export async function openLiveClients(options: LiveClientOptions): Promise<LiveClients> {
  const started = performance.now();
  const processes = Math.max(1, Math.ceil(options.count / STREAMS_PER_PROCESS));
  const children = await Promise.all(
    Array.from({ length: processes }, (_, i) => {
      const share = Math.floor(options.count / processes) + (i < options.count % processes ? 1 : 0);
      return startChild({ ...options, count: share });
    }),
  );
  let errors: string[] = [];
  let requests = noRequests();
  const collect = async (message: ToChild, wanted: FromChild["type"]) =>
    Promise.all(children.map((child) => child.request(message, wanted)));
  const firstErrors = (await collect({ type: "watch", rowId: "", column: "", value: "", timeoutMs: 0 }, "seen")).flatMap((m) => (m.type === "seen" ? m.errors : []));
  log(`  ${options.count} live clients in ${processes} process(es) up to date in ${Math.round(performance.now() - started)} ms${firstErrors.length ? `, ${firstErrors.length} failed: ${firstErrors[0]}` : ""}`);
  return {
    size: options.count,
    async watch(rowId, column, value, timeoutMs) {
      const answers = await collect({ type: "watch", rowId, column, value, timeoutMs }, "seen");
      errors = answers.flatMap((m) => (m.type === "seen" ? m.errors : []));
      requests = sumRequests(answers.flatMap((m) => (m.type === "seen" ? [m.requests] : [])));
      // Wall clock → this process's performance.now().
      return answers.flatMap((m) => (m.type === "seen" ? m.times : [])).map((t) => (t === null ? null : t - performance.timeOrigin));
    },
    errors: () => errors,
    requests: () => requests,
    cpuMs: () => children.reduce((sum, child) => sum + processCpuMs(child.pid), 0),
    async close() {
      await Promise.all(children.map((child) => child.close()));
    },
  };
}

interface Child {
  pid: number;
  request(message: ToChild, wanted: FromChild["type"]): Promise<FromChild>;
  close(): Promise<void>;
}

async function startChild(options: LiveClientOptions): Promise<Child> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    // A larger young generation: the streams allocate a lot of short-lived objects per response.
    // BENCH_CLIENT_NODE_ARGS (space-separated) adds Node options, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    execArgv: ["--import", "tsx", "--max-semi-space-size=32", ...(process.env.BENCH_CLIENT_NODE_ARGS ?? "").split(" ").filter(Boolean)],
    env: { ...process.env, [CHILD_FLAG]: "1" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let pending: { wanted: FromChild["type"]; resolve: (m: FromChild) => void; reject: (e: Error) => void } | null = null;
  child.on("message", (message: FromChild) => {
    if (pending && message.type === pending.wanted) {
      const { resolve } = pending;
      pending = null;
      resolve(message);
    }
  });
  void exited.then(() => pending?.reject(new Error("live-clients child exited")));
  const request = (message: ToChild, wanted: FromChild["type"]) =>
    new Promise<FromChild>((resolve, reject) => {
      pending = { wanted, resolve, reject };
      child.send(message);
    });
  await request({ type: "start", options }, "started");
  return {
    pid: child.pid ?? 0,
    request,
    async close() {
      if (child.exitCode === null) {
        child.send({ type: "close" } satisfies ToChild);
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** The streams of one process (runs in the children). */
async function openLocalClients(options: LiveClientOptions): Promise<LiveClients> {
  const previous = process.env.BENCH_LIVE_FETCH === "previous";
  // previous: one long-poll per client, far more connections per origin than any default pool would allow.
  const agent = previous ? new Agent({ connections: options.count + 50, pipelining: 1, headersTimeout: 90_000, bodyTimeout: 90_000, keepAliveTimeout: 30_000 }) : null;
  const connections: UndiciClient[] = [];
  const requests = noRequests();
  const counted = (inner: typeof fetch): typeof fetch => (input, init) => {
    const search = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url).searchParams;
    if (search.get("live") !== "true") requests.catchUp += 1;
    else if (search.get("live_sse") === "true") requests.sse += 1;
    else requests.longPoll += 1;
    return inner(input, init);
  };
  const fetchFor = (): typeof fetch => {
    if (agent) {
      return counted(((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
        undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as typeof fetch);
    }
    const origin = new URL(options.url).origin;
    const connection = new UndiciClient(origin, { pipelining: 1, headersTimeout: 90_000, bodyTimeout: 90_000, keepAliveTimeout: 30_000 });
    connections.push(connection);
    return counted(requestAsFetch(connection));
  };
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // every stream listens to it
  const clients: Client[] = [];
  let watch: Watch | null = null;

  const startOne = () =>
    new Promise<void>((resolve) => {
      const client: Client = { upToDate: false, seenAt: null, last: null, error: null };
      clients.push(client);
      const stream = new ShapeStream<Row>({
        url: options.url,
        params: options.params,
        headers: { cookie: options.cookie },
        signal: abort.signal,
        parser: TEXT_PARSER,
        fetchClient: fetchFor(),
        liveSse: options.sse ?? false,
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
              client.last = { value, at: now };
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

  return {
    size: clients.length,
    watch(rowId, column, value, timeoutMs) {
      const matches = (row: Record<string, unknown>) => String(row.id) === rowId && row[column] === value;
      for (const client of clients) client.seenAt = client.last && matches(client.last.value) ? client.last.at : null;
      return new Promise((resolve) => {
        let pending = clients.filter((c) => !c.error && c.seenAt === null).length;
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
    requests: () => ({ ...requests }),
    cpuMs: () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
    async close() {
      abort.abort();
      await Promise.all([agent, ...connections].map((dispatcher) => dispatcher?.close().catch(() => undefined)));
    },
  };
}

/**
 * A fetch() for one stream on its own connection: undici's request(), the answer buffered and
 * wrapped in a Response; an event stream's body is streamed instead (it stays open for up to a
 * minute, the client reads each frame as it comes). GET only, which is all the ShapeStream sends.
 */
function requestAsFetch(connection: UndiciClient): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const requestHeaders: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (requestHeaders[name] = value));
    const answer = await connection.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: "GET",
      headers: requestHeaders,
      signal: init?.signal ?? undefined,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    if (headers.get("content-type")?.startsWith("text/event-stream")) {
      return new Response(Readable.toWeb(answer.body) as ReadableStream<Uint8Array>, { status: answer.statusCode, headers });
    }
    const body = Buffer.from(await answer.body.arrayBuffer());
    const empty = answer.statusCode === 204 || answer.statusCode === 304;
    return new Response(empty ? null : body, { status: answer.statusCode, headers });
  }) as typeof fetch;
}

if (process.env[CHILD_FLAG] === "1" && process.send) {
  let local: LiveClients | null = null;
  const send = (message: FromChild) => process.send!(message);
  process.on("message", (message: ToChild) => {
    void (async () => {
      if (message.type === "start") {
        local = await openLocalClients(message.options);
        send({ type: "started" });
      } else if (message.type === "watch" && local) {
        const times = message.timeoutMs > 0 ? await local.watch(message.rowId, message.column, message.value, message.timeoutMs) : [];
        // performance.now() → wall clock, comparable across processes.
        send({ type: "seen", times: times.map((t) => (t === null ? null : t + performance.timeOrigin)), errors: local.errors(), requests: local.requests() });
      } else if (message.type === "close") {
        await local?.close();
        process.exit(0);
      }
    })();
  });
}

function sumRequests(counts: readonly RequestCounts[]): RequestCounts {
  const total = noRequests();
  for (const c of counts) {
    total.sse += c.sse;
    total.longPoll += c.longPoll;
    total.catchUp += c.catchUp;
  }
  return total;
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ShapeApplier } from "./apply";
import { openMemoryDriver, type SqlDriver } from "./driver";
import { loadSyncState } from "./schema";
import { searchDocuments } from "./search";
import { getIndexedSources, getSearchState, type SearchProgress } from "./search-index";
import { serveSnapshotDecoder, SNAPSHOT_DECODER_PROTOCOL, SnapshotDecoderClient, type DecoderEndpoint } from "./snapshot-decoder";
import { SyncController, type SyncStatus } from "./sync";
import { newReplica, shape, type TextRow } from "./test-data";

/**
 * The real @electric-sql/client against a small HTTP server that speaks the Shape API the way
 * ELECTRIC-PROTOCOL.md describes Electric (no up-to-date at offset -1, 409 + new handle on a
 * rotated shape, electric-cursor only on live responses). The gateway in electric/server is being
 * written in parallel; once it exists, an end-to-end test against it belongs in e2e/.
 */
interface FakeShape {
  handle: string;
  rows: Map<string, TextRow>;
  /** Change log: position → message; positions are global and increasing. */
  log: { pos: number; message: object }[];
}

class ShapeServer {
  readonly requests: URL[] = [];
  private position = 10;
  private handles = 0;
  private readonly shapes = new Map<string, FakeShape>();
  private readonly waiters = new Set<() => void>();
  /** Shapes whose initial snapshot is held back until the promise resolves. */
  private readonly held = new Map<string, Promise<void>>();
  private server!: Server;
  url = "";

  seed(name: string, rows: TextRow[]): void {
    this.shapes.set(name, { handle: this.nextHandle(name), rows: new Map(rows.map((r) => [String(r.id), r])), log: [] });
  }

  /** Holds the shape's initial snapshot (offset -1) back until the returned function is called. */
  hold(name: string): () => void {
    let release = () => {};
    this.held.set(name, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(name);
      release();
    };
  }

  /** Invalidates a shape (as TRUNCATE or a schema change would): new handle, fresh rows. */
  rotate(name: string, rows: TextRow[]): void {
    this.seed(name, rows);
  }

  change(name: string, operation: "insert" | "update" | "delete", value: TextRow): void {
    const s = this.shapes.get(name)!;
    const id = String(value.id);
    if (operation === "delete") s.rows.delete(id);
    else s.rows.set(id, { ...(s.rows.get(id) ?? {}), ...value });
    this.position += 1;
    s.log.push({ pos: this.position, message: { key: `"public"."${name}"/"${id}"`, value, headers: { operation, relation: ["public", name], lsn: String(this.position), last: true } } });
    for (const wake of this.waiters) wake();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sync/shapes`;
  }

  stop(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private nextHandle(name: string): string {
    this.handles += 1;
    return `${name}-h${this.handles}-${Date.now()}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    this.requests.push(url);
    const name = url.pathname.split("/").pop() ?? "";
    const s = this.shapes.get(name);
    if (url.searchParams.get("account") !== "acc-0001") return this.reply(res, 403, {}, { message: "Forbidden" });
    if (!s) return this.reply(res, 404, {}, { message: "Unknown shape" });
    const offset = url.searchParams.get("offset") ?? "-1";
    const live = url.searchParams.get("live") === "true";
    const base = { "electric-handle": s.handle, "electric-schema": JSON.stringify({ id: { type: "text", pk_index: 0 }, is_default_ship_to: { type: "bool" } }) };
    const upToDate = { headers: { control: "up-to-date", global_last_seen_lsn: String(this.position) } };
    if (offset === "-1") {
      await this.held.get(name);
      const snapshot = [...s.rows.values()].map((value) => ({ key: `"public"."${name}"/"${String(value.id)}"`, value, headers: { operation: "insert", relation: ["public", name] } }));
      const at = s.log.at(-1)?.pos ?? 0;
      return this.reply(res, 200, { ...base, "electric-offset": `${at}_0` }, snapshot);
    }
    if (url.searchParams.get("handle") !== s.handle) {
      return this.reply(res, 409, { "electric-handle": s.handle }, [{ headers: { control: "must-refetch" } }]);
    }
    const since = Number(offset.split("_")[0]);
    let changes = s.log.filter((e) => e.pos > since);
    if (live && changes.length === 0) {
      await new Promise<void>((resolve) => {
        const wake = () => { this.waiters.delete(wake); resolve(); };
        this.waiters.add(wake);
        setTimeout(wake, 300);
      });
      changes = s.log.filter((e) => e.pos > since);
    }
    // electric-up-to-date: without it the client prefetches the next chunk (same URL) twice.
    const headers = {
      ...base, "electric-offset": `${changes.at(-1)?.pos ?? since}_0`, "electric-up-to-date": "",
      ...(live ? { "electric-cursor": String(Date.now()) } : {}),
    };
    return this.reply(res, 200, headers, [...changes.map((e) => e.message), upToDate]);
  }

  private reply(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  }
}

const SHAPES = [shape("accounts"), shape("locations"), shape("invoices"), shape("invoice_lines")];
const location = (id: string, name: string, isDefault: string): TextRow => ({ id, account_id: "acc-0001", code: id, name, is_default_ship_to: isDefault });
const invoice = (id: string, number: string, status = "open"): TextRow => ({ id, account_id: "acc-0001", location_id: "loc-1", kind: "invoice", number, issue_date: "2024-04-02", status, gross_amount: "10.00" });
const line = (id: string, invoiceId: string, sku: string): TextRow => ({ id, account_id: "acc-0001", invoice_id: invoiceId, line_no: "1", sku, description: "Dichtung" });

describe("SyncController with @electric-sql/client", () => {
  const server = new ShapeServer();
  let driver: SqlDriver;
  const statuses: SyncStatus[] = [];

  beforeAll(async () => {
    await server.start();
    server.seed("accounts", [{ id: "acc-0001", number: "10001", name: "Kessler Anlagenbau GmbH", payment_terms_days: "30" }]);
    server.seed("locations", [location("loc-1", "Werk Stuttgart", "true")]);
    server.seed("invoices", [invoice("i1", "INV-1"), invoice("i2", "INV-2")]);
    server.seed("invoice_lines", [line("l1", "i1", "PMP-100")]);
    driver = await newReplica();
  });
  afterAll(() => server.stop());

  const controller = (overrides: Partial<ConstructorParameters<typeof SyncController>[0]> = {}) =>
    new SyncController({ driver, baseUrl: server.url, accountId: "acc-0001", shapes: SHAPES, mode: "interval", intervalMs: 3_600_000, onStatus: (s) => statuses.push(s), ...overrides });

  const table = (name: string) => driver.selectObjects<TextRow>(`SELECT * FROM ${name} ORDER BY id`);

  it("syncs every shape from scratch, builds the index, and saves where each stream stands", async () => {
    const sync = controller();
    await sync.start();
    sync.stop();
    expect(table("invoices").map((r) => r.number)).toEqual(["INV-1", "INV-2"]);
    expect(table("locations")[0].is_default_ship_to).toBe("t"); // snapshot "true" kept as Postgres text
    expect(loadSyncState(driver, "invoices")?.handle).toMatch(/^invoices-h/);
    expect(searchDocuments(driver, "PMP-100").map((h) => h.id)).toEqual(["i1"]);
    const ready = statuses.find((s) => s.phase === "ready");
    expect(ready).toMatchObject({ progress: 100, searchReady: true });
    expect(ready?.shapes.find((s) => s.name === "invoices")).toMatchObject({ upToDate: true, hasData: true, rows: 2, error: null });
    // Electric's flow: offset=-1 (no up-to-date in it), then the same handle from the returned offset.
    const invoiceRequests = server.requests.filter((u) => u.pathname.endsWith("/invoices"));
    expect(invoiceRequests.map((u) => u.searchParams.get("offset"))).toEqual(["-1", "0_0"]);
  });

  it("catches up on refresh and keeps the index current", async () => {
    const sync = controller();
    await sync.start();
    server.change("invoices", "update", { id: "i1", status: "paid" });
    server.change("invoice_lines", "insert", line("l2", "i2", "VLV-200"));
    server.change("invoices", "delete", { id: "i2" });
    server.change("locations", "update", { id: "loc-1", is_default_ship_to: "f" });
    await sync.refresh();
    sync.stop();
    expect(table("invoices").map((r) => [r.id, r.status, r.number])).toEqual([["i1", "paid", "INV-1"]]);
    expect(table("locations")[0].is_default_ship_to).toBe("f");
    expect(searchDocuments(driver, "INV-2")).toEqual([]);
    expect(searchDocuments(driver, "INV-1")[0]).toMatchObject({ id: "i1", status: "paid" });
  });

  it("resumes after a reload from the saved handle and offset, without downloading the shape again", async () => {
    const saved = loadSyncState(driver, "invoices");
    const before = server.requests.length;
    const sync = controller();
    await sync.start();
    sync.stop();
    // A late prefetch of the previous test's stream may land in this window too (it carries the same
    // saved position), so the claim is: no request starts over, and one resumes from the saved position.
    const resumed = server.requests.slice(before).filter((u) => u.pathname.endsWith("/invoices"));
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(resumed.filter((u) => u.searchParams.get("offset") === "-1")).toEqual([]);
    expect(
      resumed.some((u) => u.searchParams.get("offset") === saved?.offset && u.searchParams.get("handle") === saved?.handle),
    ).toBe(true);
  });

  it("replaces the shape after the server rotated it (409 must-refetch)", async () => {
    const previous = loadSyncState(driver, "invoices")?.handle;
    server.rotate("invoices", [invoice("i7", "INV-7"), invoice("i8", "INV-8")]);
    const sync = controller();
    await sync.start();
    sync.stop();
    expect(table("invoices").map((r) => r.id)).toEqual(["i7", "i8"]);
    expect(loadSyncState(driver, "invoices")?.handle).toMatch(/^invoices-h\d+-/);
    expect(loadSyncState(driver, "invoices")?.handle).not.toBe(previous);
    expect(searchDocuments(driver, "INV", { types: ["invoice"] }).map((h) => h.id).sort()).toEqual(["i7", "i8"]);
  });

  it("applies changes as they happen in live mode", async () => {
    const sync = controller({ mode: "live" });
    await sync.start();
    server.change("invoices", "update", { id: "i7", status: "cancelled" });
    const deadline = Date.now() + 5_000;
    while (table("invoices")[0]?.status !== "cancelled" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    sync.stop();
    expect(sync.status().mode).toBe("live");
    expect(table("invoices")[0]).toMatchObject({ id: "i7", status: "cancelled" });
  });

  it("treats a refusal of one shape alone as that shape's error, not as lost access", async () => {
    const denied: number[] = [];
    const fresh = await newReplica();
    const sync = controller({ driver: fresh, shapes: [...SHAPES, shape("payments")], onAccessDenied: (status) => denied.push(status) });
    await sync.start();
    sync.stop();
    expect(denied).toEqual([]);
    const status = sync.status();
    expect(status.shapes.find((s) => s.name === "payments")).toMatchObject({ upToDate: false, error: expect.stringContaining("404") });
    expect(status.shapes.find((s) => s.name === "invoices")).toMatchObject({ upToDate: true, error: null });
    // The refused shape does not keep the search index from being built.
    expect(status.searchReady).toBe(true);
    expect(searchDocuments(fresh, "INV-7").map((h) => h.id)).toEqual(["i7"]);
  });

  it("reports access denied (403) so the worker can wipe the replica", async () => {
    const denied: number[] = [];
    const sync = controller({ accountId: "acc-other", onAccessDenied: (status) => denied.push(status) });
    await sync.start();
    expect(denied[0]).toBe(403);
    expect(sync.status().phase).toBe("stopped");
  });
  it("inserts a snapshot from the response text (raw path) with the same rows as the parsed path", async () => {
    // Last: its streams' prefetches must not count as requests of the tests above.
    const raw = await newReplica();
    const taken = vi.spyOn(ShapeApplier.prototype, "takeRawSnapshot");
    try {
      const sync = new SyncController({ driver: raw, baseUrl: server.url, accountId: "acc-0001", shapes: SHAPES, mode: "interval", intervalMs: 3_600_000, rawSnapshotMinChars: 0 });
      await sync.start();
      sync.stop();
      // Every snapshot body went to SQLite as text; the client parsed only what was left of it.
      const results = taken.mock.results.map((r) => r.value as string | null);
      expect(results).toHaveLength(SHAPES.length);
      expect(results.every((rest) => rest === "[]")).toBe(true);
      for (const name of ["accounts", "locations", "invoices", "invoice_lines"]) {
        const parsed = driver.selectObjects<TextRow>(`SELECT * FROM ${name} ORDER BY id`);
        expect(raw.selectObjects<TextRow>(`SELECT * FROM ${name} ORDER BY id`)).toEqual(parsed);
      }
      expect(raw.selectValue("SELECT is_default_ship_to FROM locations")).toMatch(/^[tf]$/); // "true"/"false" on the wire
      expect(searchDocuments(raw, "INV").map((h) => h.id).sort()).toEqual(searchDocuments(driver, "INV").map((h) => h.id).sort());
    } finally {
      taken.mockRestore();
      raw.close();
    }
  });

});

describe("SyncController indexes each document source once its tables are in", () => {
  const server = new ShapeServer();
  beforeAll(async () => {
    await server.start();
    server.seed("accounts", [{ id: "acc-0001", number: "10001", name: "Kessler Anlagenbau GmbH", payment_terms_days: "30" }]);
    server.seed("locations", [location("loc-1", "Werk Stuttgart", "true")]);
    server.seed("invoices", [invoice("i1", "INV-1")]);
    server.seed("invoice_lines", [line("l1", "i1", "PMP-100")]);
    server.seed("support_tickets", [{ id: "t1", account_id: "acc-0001", location_id: "loc-1", number: "T-1", subject: "Pumpe defekt", category: "product", priority: "normal", status: "open", created_at: "2024-06-01 09:00:00+00" }]);
  });
  afterAll(() => server.stop());

  it("indexes the sources that do not wait for a held shape, and the rest once it arrives", async () => {
    const release = server.hold("invoice_lines");
    const driver = await newReplica();
    const statuses: SyncStatus[] = [];
    const progress: SearchProgress[] = [];
    const sync = new SyncController({
      driver, baseUrl: server.url, accountId: "acc-0001", shapes: [...SHAPES, shape("support_tickets")], mode: "interval", intervalMs: 3_600_000,
      onStatus: (s) => statuses.push(s), onSearchProgress: (p) => progress.push(p), earlyIndexMinDocuments: 1, earlyIndexMinWaitMs: 0,
    });
    const started = sync.start();
    await vi.waitFor(() => expect(getIndexedSources(driver).has("support_tickets")).toBe(true), { timeout: 5_000 });
    expect(getIndexedSources(driver).has("invoices")).toBe(false);
    expect(sync.status()).toMatchObject({ phase: "syncing", searchReady: false });
    expect(searchDocuments(driver, "Pumpe").map((h) => h.id)).toEqual(["t1"]);
    release();
    await started;
    sync.stop();
    expect(getSearchState(driver)).toBe("ready");
    expect(searchDocuments(driver, "PMP-100").map((h) => h.id)).toEqual(["i1"]);
    expect(statuses.find((s) => s.phase === "ready")).toMatchObject({ searchReady: true, progress: 100 });
    expect(progress.at(-1)).toMatchObject({ phase: "done", done: 9, total: 9 });
  });

  it("leaves small sources to one build at the end (the default minimum of documents)", async () => {
    const driver = await newReplica();
    const release = server.hold("invoice_lines");
    const sync = new SyncController({ driver, baseUrl: server.url, accountId: "acc-0001", shapes: [...SHAPES, shape("support_tickets")], mode: "interval", intervalMs: 3_600_000 });
    const started = sync.start();
    await vi.waitFor(() => expect(sync.status().shapes.filter((s) => s.upToDate).map((s) => s.name).sort()).toEqual(["accounts", "invoices", "locations", "support_tickets"]));
    expect(getIndexedSources(driver).size).toBe(0);
    release();
    await started;
    sync.stop();
    expect(getSearchState(driver)).toBe("ready");
    expect(driver.selectValue("SELECT count(DISTINCT segid) FROM search_fts_idx")).toBe(1);
  });
});

describe("SyncController with the snapshot worker's side (snapshot-decoder.ts) over a MessageChannel", () => {
  const server = new ShapeServer();
  const rows = [invoice("i1", "INV-1"), invoice("i2", "INV-2"), invoice("i3", "INV-3")];
  const channels: MessageChannel[] = [];

  beforeAll(async () => {
    await server.start();
    server.seed("accounts", [{ id: "acc-0001", number: "10001", name: "Kessler Anlagenbau GmbH", payment_terms_days: "30" }]);
    server.seed("locations", [location("loc-1", "Werk Stuttgart", "true"), location("loc-2", "Lager Düsseldorf – Ø 20 mm 💡", "false")]);
    server.seed("invoices", rows);
    server.seed("invoice_lines", [line("l1", "i1", "PMP-100")]);
  });
  afterAll(async () => {
    for (const channel of channels) channel.port1.close();
    await server.stop();
  });

  /** The real decoder on both ends; its SQLite is an in-memory database of its own, as in the browser. */
  const snapshotWorker = (openDriver: () => Promise<SqlDriver> = openMemoryDriver) => {
    const channel = new MessageChannel();
    channels.push(channel);
    serveSnapshotDecoder(channel.port2 as unknown as DecoderEndpoint, openDriver);
    return new SnapshotDecoderClient(channel.port1 as unknown as DecoderEndpoint);
  };
  const sync = (driver: SqlDriver, decoder: SnapshotDecoderClient, overrides: Partial<ConstructorParameters<typeof SyncController>[0]> = {}) =>
    new SyncController({ driver, baseUrl: server.url, accountId: "acc-0001", shapes: SHAPES, mode: "interval", intervalMs: 3_600_000, rawSnapshotMinChars: 0, snapshotDecoder: () => decoder, ...overrides });
  const all = (driver: SqlDriver, name: string) => driver.selectObjects<TextRow>(`SELECT * FROM ${name} ORDER BY id`);

  it("inserts the snapshots converted by the snapshot worker: same rows as the parsed path, none converted in this thread", async () => {
    const [handedOver, inThread] = [vi.spyOn(ShapeApplier.prototype, "takeDecodedSnapshot"), vi.spyOn(ShapeApplier.prototype, "takeRawSnapshot")];
    const [viaWorker, parsed] = [await newReplica(), await newReplica()];
    try {
      const decoder = snapshotWorker();
      const controller = sync(viaWorker, decoder);
      await controller.start();
      controller.stop();
      const reference = sync(parsed, snapshotWorker(), { rawSnapshotMinChars: Infinity });
      await reference.start();
      reference.stop();
      expect(handedOver).toHaveBeenCalledTimes(SHAPES.length);
      expect(handedOver.mock.calls.every(([decoded]) => decoded.jsonb instanceof Uint8Array && decoded.controls === "[]")).toBe(true);
      expect(inThread).not.toHaveBeenCalled();
      expect(decoder.bytes).toBeGreaterThan(0);
      for (const name of ["accounts", "locations", "invoices", "invoice_lines"]) expect(all(viaWorker, name)).toEqual(all(parsed, name));
      expect(all(viaWorker, "locations").map((r) => r.is_default_ship_to)).toEqual(["t", "f"]); // "true"/"false" on the wire
      expect(all(viaWorker, "locations")[1].name).toBe("Lager Düsseldorf – Ø 20 mm 💡"); // UTF-8 bytes read as text by SQLite
      expect(loadSyncState(viaWorker, "invoices")?.handle).toMatch(/^invoices-h/);
      expect(searchDocuments(viaWorker, "PMP-100").map((h) => h.id)).toEqual(["i1"]);
      // Closed after the first catch-up: a later snapshot would be converted here.
      expect(decoder.available).toBe(false);
    } finally {
      handedOver.mockRestore();
      inThread.mockRestore();
    }
  });

  it("keeps the protocol: a rotated shape (409 must-refetch) is replaced through the snapshot worker too", async () => {
    const driver = await newReplica();
    const first = sync(driver, snapshotWorker());
    await first.start();
    first.stop();
    server.rotate("invoices", [invoice("i7", "INV-7")]);
    const handedOver = vi.spyOn(ShapeApplier.prototype, "takeDecodedSnapshot");
    try {
      // The saved handle is refused with 409; the client starts over at offset -1, which the worker converts.
      const controller = sync(driver, snapshotWorker());
      await controller.start();
      controller.stop();
      expect(all(driver, "invoices").map((r) => r.id)).toEqual(["i7"]);
      expect(handedOver.mock.calls.map(([decoded]) => decoded.rows)).toEqual([1]);
      expect(searchDocuments(driver, "INV-7").map((h) => h.id)).toEqual(["i7"]);
    } finally {
      handedOver.mockRestore();
      server.rotate("invoices", rows);
    }
  });

  it("starts the snapshot worker only for an initial snapshot: a reload with every shape saved starts none", async () => {
    const driver = await newReplica();
    let started = 0;
    const factory = () => ((started += 1), snapshotWorker());
    const first = sync(driver, snapshotWorker(), { snapshotDecoder: factory });
    await first.start();
    first.stop();
    expect(started).toBe(1); // once for all shapes
    const reload = sync(driver, snapshotWorker(), { snapshotDecoder: factory });
    await reload.start();
    reload.stop();
    expect(started).toBe(1);
    expect(reload.snapshotWorker).toBeNull();
  });

  it("passes the gateway's refusal through: 403 on the account's own shape reports access denied", async () => {
    const denied: number[] = [];
    const controller = sync(await newReplica(), snapshotWorker(), { accountId: "acc-other", onAccessDenied: (status) => denied.push(status) });
    await controller.start();
    expect(denied[0]).toBe(403);
    expect(controller.status().phase).toBe("stopped");
  });

  it("offline: the worker's failed fetch reaches the stream as fetch's TypeError (retried, an error, no wipe)", async () => {
    const denied: number[] = [];
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const controller = sync(await newReplica(), snapshotWorker(), { baseUrl: `http://127.0.0.1:${port}/sync/shapes`, onAccessDenied: (s) => denied.push(s) });
    await controller.start();
    controller.stop();
    expect(denied).toEqual([]);
    expect(controller.status().shapes.every((s) => !s.upToDate && /fetch failed/i.test(s.error ?? ""))).toBe(true);
  });

  it("falls back to converting in this thread when the snapshot worker has no SQLite", async () => {
    const inThread = vi.spyOn(ShapeApplier.prototype, "takeRawSnapshot");
    try {
      const driver = await newReplica();
      const decoder = snapshotWorker(() => Promise.reject(new Error("no WebAssembly here")));
      const controller = sync(driver, decoder);
      await controller.start();
      controller.stop();
      expect(decoder.available).toBe(false);
      expect(inThread.mock.results.map((r) => r.value as string | null)).toEqual(SHAPES.map(() => "[]"));
      expect(all(driver, "invoices").map((r) => r.id)).toEqual(["i1", "i2", "i3"]);
    } finally {
      inThread.mockRestore();
    }
  });

  it("a snapshot worker of another protocol version (a deploy between the two bundles' requests) answers unavailable", async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    serveSnapshotDecoder(channel.port2 as unknown as DecoderEndpoint, openMemoryDriver);
    const before = server.requests.length;
    const reply = new Promise<unknown>((resolve) => channel.port1.addEventListener("message", (event) => resolve(event.data), { once: true }));
    channel.port1.start();
    channel.port1.postMessage({ kind: "fetch", protocol: SNAPSHOT_DECODER_PROTOCOL + 1, id: 1, url: `${server.url}/invoices?account=acc-0001&offset=-1`, headers: [], columns: ["id"], minBytes: 0 });
    expect(await reply).toMatchObject({ kind: "error", id: 1, name: "DecoderUnavailableError" });
    expect(server.requests.length).toBe(before); // it did not make the request
  });

  it("aborts the worker's request with the stream's signal, and answers a small or non-snapshot body unconverted", async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    try {
      const decoder = snapshotWorker();
      const abort = new AbortController();
      const pending = decoder.fetch(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/x?offset=-1`, { signal: abort.signal }, ["id"], 0);
      abort.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      const small = await decoder.fetch(`${server.url}/invoices?account=acc-0001&offset=-1`, {}, shape("invoices").columns, 1e9);
      expect(small.decoded).toBeNull();
      expect(((await small.response.json()) as unknown[]).length).toBe(rows.length);
      expect(small.response.headers.get("electric-handle")).toMatch(/^invoices-h/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});

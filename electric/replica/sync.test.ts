import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ShapeApplier } from "./apply";
import type { SqlDriver } from "./driver";
import { loadSyncState } from "./schema";
import { searchDocuments } from "./search";
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
  private server!: Server;
  url = "";

  seed(name: string, rows: TextRow[]): void {
    this.shapes.set(name, { handle: this.nextHandle(name), rows: new Map(rows.map((r) => [String(r.id), r])), log: [] });
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

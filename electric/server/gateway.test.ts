import { createRequestHandler as createExpressHandler } from "@remix-run/express";
import { createRequestHandler } from "@remix-run/node";
import express from "express";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { loadBuild, signIn } from "../../test/support/portal";
import { destroyUserSession } from "~/modules/auth/session.server";
import { serveShapeHttp } from "./gateway.server";
import { mountShapeRoute, shapeFastPath, shapeNameFromUrl, type ServeShapeHttp } from "./shape-route.server";
import { startHttpServer, type RunningServer } from "./node-http.server";
import { account, contactScope, insertOrder, openStream, type AccountFixture } from "./testing/fixtures";
import { ShapeCollector } from "./testing/shape-collector";

/**
 * GET /sync/shapes/:name through the real Remix build: session → scope → registry → engine (or a
 * proxied Electric), driven by fetch() and by the real ShapeStream with the session cookie.
 */

type Handler = (request: Request, context: { clientIp: string }) => Promise<Response>;

let db: Db;
let portal: RunningServer;
let kessler: AccountFixture;
let nordhavn: AccountFixture;
const cookies: Record<string, string> = {};
const aborter = new AbortController();

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  nordhavn = await account(db, "10004");
  const handler = createRequestHandler(await loadBuild(), "production") as unknown as Handler;
  portal = await startHttpServer((request) => handler(request, { clientIp: "127.0.0.1" }));
  for (const email of ["buyer@kessler.example", "viewer@kessler.example", "finance@kessler.example", "admin@brandt-soehne.example"]) {
    cookies[email] = await signIn(email);
  }
});

afterAll(async () => {
  aborter.abort();
  await portal.close();
});

function shapeUrl(name: string, query: Record<string, string> = {}) {
  const search = new URLSearchParams(query).toString();
  return `${portal.url}/sync/shapes/${name}${search ? `?${search}` : ""}`;
}

async function get(name: string, query: Record<string, string>, email?: string) {
  return fetch(shapeUrl(name, query), { headers: email ? { cookie: cookies[email] } : {}, redirect: "manual" });
}

describe("shape gateway", () => {
  it("answers fetch() with JSON statuses: 401 signed out, 403 staff, 404 unknown shape or foreign account", async () => {
    const signedOut = await get("orders", { offset: "-1" });
    expect(signedOut.status).toBe(401);
    expect(signedOut.headers.get("content-type")).toMatch(/application\/json/);
    expect(await signedOut.json()).toEqual({ message: expect.any(String) });

    const staff = await get("orders", { offset: "-1" }, "admin@brandt-soehne.example");
    expect(staff.status).toBe(403);
    expect(await staff.json()).toEqual({ message: expect.any(String) });

    const unknown = await get("users", { offset: "-1" }, "buyer@kessler.example");
    expect(unknown.status).toBe(404);
    const foreign = await get("orders", { offset: "-1", account: nordhavn.id }, "buyer@kessler.example");
    expect(foreign.status).toBe(404);

    const own = await get("orders", { offset: "-1", account: kessler.id }, "buyer@kessler.example");
    expect(own.status).toBe(200);
    expect(own.headers.get("electric-handle")).toBeTruthy();
    const rows = ((await own.json()) as { value?: { account_id: string } }[]).filter((m) => m.value);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((m) => m.value!.account_id === kessler.id)).toBe(true);

    const badParams = await get("orders", { offset: "-1", live: "true" }, "buyer@kessler.example");
    expect(badParams.status).toBe(400);
    expect(((await badParams.json()) as { message: string }).message).toBe("Invalid request");
    const post = await fetch(shapeUrl("orders", { offset: "-1" }), { method: "POST", headers: { cookie: cookies["buyer@kessler.example"] } });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("serves permission-bound shapes only to roles that have the permission, empty to the others", async () => {
    const rowsFor = async (shape: string, email: string) => {
      const response = await get(shape, { offset: "-1" }, email);
      expect(response.status).toBe(200);
      return ((await response.json()) as { value?: unknown }[]).filter((m) => m.value).length;
    };
    expect(await rowsFor("statements", "finance@kessler.example")).toBeGreaterThan(0);
    expect(await rowsFor("statements", "buyer@kessler.example")).toBe(0);
    expect(await rowsFor("invoices", "buyer@kessler.example")).toBeGreaterThan(0);
    expect(await rowsFor("invoices", "viewer@kessler.example")).toBe(0);
    expect(await rowsFor("orders", "viewer@kessler.example")).toBeGreaterThan(0);
  });

  it("streams a location-restricted contact's rows to the real client and refetches when the scope changes", async () => {
    const streamAborter = new AbortController();
    aborter.signal.addEventListener("abort", () => streamAborter.abort());
    const viewer = await contactScope(db, "viewer@kessler.example", "10001");
    const client = new ShapeCollector(
      openStream(shapeUrl("orders"), { account: kessler.id }, streamAborter.signal, { cookie: cookies["viewer@kessler.example"] }),
    );
    await client.waitForUpToDate();
    const inViewerLocations = (row: Record<string, string | null>) => row.location_id !== null && viewer.locationIds!.includes(row.location_id);
    expect(client.rows.size).toBeGreaterThan(0);
    expect([...client.rows.values()].every(inViewerLocations)).toBe(true);

    const live = await insertOrder(db, { accountId: kessler.id, locationId: viewer.locationIds![0] });
    await client.waitFor("a live insert through the gateway", () => client.byId().has(live));

    // The supplier lifts the location restriction: a new scope, so a new definition; the client's
    // handle gets 409 on its next request and it refetches everything of the account.
    await db.query(
      `DELETE FROM membership_locations WHERE membership_id = (SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE u.email = 'viewer@kessler.example' AND m.account_id = $1)`,
      [kessler.id],
    );
    const wake = await insertOrder(db, { accountId: kessler.id, locationId: viewer.locationIds![0] }); // ends the held poll
    const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM sales_orders WHERE account_id = $1`, [kessler.id]);
    await client.waitFor("the refetch with the wider scope", () => client.mustRefetches > 0 && client.rows.size === rows[0].count, 30_000);
    expect(client.byId().has(wake)).toBe(true);
    expect([...client.rows.values()].some((row) => !inViewerLocations(row))).toBe(true);
    streamAborter.abort();
    client.stop();
  }, 45_000);

  it("proxies to Electric with ELECTRIC_URL: protocol params only, the shape set server-side, statuses and headers passed through", async () => {
    const seen: URL[] = [];
    const electric = await startHttpServer(async (request) => {
      seen.push(new URL(request.url));
      return new Response(`[{"headers":{"control":"must-refetch"}}]`, {
        status: 409,
        headers: {
          "electric-handle": "upstream-handle-2",
          "cache-control": "public, max-age=60, must-revalidate",
          "content-type": "application/json",
        },
      });
    });
    process.env.ELECTRIC_URL = electric.url;
    process.env.ELECTRIC_SECRET = "s3cret";
    try {
      const response = await get(
        "orders",
        { offset: "5_0", handle: "h1", live: "true", cursor: "7", "cache-buster": "x", table: "users", where: "true", columns: "*", secret: "mine", expired_handle: "h0" },
        "viewer@kessler.example",
      );
      expect(response.status).toBe(409);
      expect(response.headers.get("electric-handle")).toBe("upstream-handle-2");
      expect(response.headers.get("vary")?.toLowerCase()).toContain("cookie");
      expect(response.headers.get("cache-control")).toBe("private, max-age=60, must-revalidate");
      expect(await response.text()).toBe(`[{"headers":{"control":"must-refetch"}}]`);

      const upstream = seen.find((url) => url.searchParams.get("handle") === "h1")!;
      expect(upstream.pathname).toBe("/v1/shape");
      const params = Object.fromEntries(upstream.searchParams);
      expect(params).toMatchObject({ offset: "5_0", handle: "h1", live: "true", cursor: "7", "cache-buster": "x", expired_handle: "h0" });
      expect(params.table).toBe("sales_orders");
      expect(params.secret).toBe("s3cret");
      expect(params.where).toBe(`"account_id" IN ($1)`); // no location restriction any more (previous test)
      expect(params["params[1]"]).toBe(kessler.id);
      expect(params.columns.split(",")[0]).toBe(`"id"`);
      expect(params.columns).not.toContain("*");
      expect(params.account).toBeUndefined();
    } finally {
      delete process.env.ELECTRIC_URL;
      delete process.env.ELECTRIC_SECRET;
      await electric.close();
    }
  });

  it("serves the engine on node:http objects (the node:http fast path) and answers a held long-poll again at logout: 401", async () => {
    const fast = createServer((req, res) => {
      void serveShapeHttp(req, res, "orders").then((handled) => {
        if (!handled) res.writeHead(501).end(); // server.ts hands these to the Remix route
      });
    });
    await new Promise<void>((resolve) => fast.listen(0, "127.0.0.1", () => resolve()));
    const base = `http://127.0.0.1:${(fast.address() as AddressInfo).port}/sync/shapes/orders`;
    try {
      const cookie = await signIn("buyer@nordhavn.example");
      const snapshot = await fetch(`${base}?offset=-1&account=${nordhavn.id}`, { headers: { cookie } });
      expect(snapshot.status).toBe(200);
      expect(snapshot.headers.get("electric-schema")).toBeTruthy();
      expect(Number(snapshot.headers.get("content-length"))).toBeGreaterThan(0);
      const rows = ((await snapshot.json()) as { value?: { account_id: string } }[]).filter((m) => m.value);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((m) => m.value!.account_id === nordhavn.id)).toBe(true);
      expect((await fetch(`${base}?offset=-1`, {})).status).toBe(401);
      expect((await fetch(`${base}?offset=-1`, { method: "POST", headers: { cookie } })).status).toBe(501);

      const handle = snapshot.headers.get("electric-handle")!;
      const offset = snapshot.headers.get("electric-offset")!;
      const startedAt = Date.now();
      const held = fetch(`${base}?offset=${offset}&handle=${handle}&live=true&cursor=`, { headers: { cookie } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await destroyUserSession(new Request("http://portal.test/logout", { headers: { cookie } }));
      const answer = await held;
      expect(answer.status).toBe(401);
      expect(Date.now() - startedAt).toBeLessThan(12_000); // not the 20 s hold
    } finally {
      fast.closeAllConnections();
      await new Promise((resolve) => fast.close(resolve));
    }
  });

  it("routes like Express's /sync/shapes/:name: case-insensitive, one segment, optional trailing slash, decoded", () => {
    expect(shapeNameFromUrl("/sync/shapes/orders?offset=-1&x=/y")).toBe("orders");
    expect(shapeNameFromUrl("/SYNC/Shapes/orders/")).toBe("orders");
    expect(shapeNameFromUrl("/sync/shapes/a%20b")).toBe("a b");
    expect(shapeNameFromUrl("/sync/shapes/%E0%A4%A")).toBeNull(); // Express answers its 400
    expect(shapeNameFromUrl("/sync/shapes/")).toBeNull();
    expect(shapeNameFromUrl("/sync/shapes/orders/rows")).toBeNull();
    expect(shapeNameFromUrl("/sync/shapesorders")).toBeNull();
  });

  it("answers through the node:http listener exactly what the Express route answered: statuses, headers, JSON errors, fall-through, failures", async () => {
    const remix = createExpressHandler({ build: await loadBuild(), mode: "production" });
    // Before: the Express route of server.ts (until this change), then Remix.
    const viaExpress = (serve: ServeShapeHttp): RequestListener => {
      const app = express();
      app.disable("x-powered-by");
      app.get("/sync/shapes/:name", (req, res, next) => {
        serve(req, res, req.params.name).then((handled) => (handled ? undefined : next()), next);
      });
      app.all("*", remix);
      return app;
    };
    // Now: server.ts's listener in front of the same app without that route.
    const viaListener = (serve: ServeShapeHttp): RequestListener => {
      const app = express();
      app.disable("x-powered-by");
      mountShapeRoute(app);
      app.all("*", remix);
      return shapeFastPath(serve, app);
    };
    const failing: ServeShapeHttp = async () => {
      throw new Error("the session store is down");
    };
    const servers: Server[] = [];
    const listen = async (listener: RequestListener) => {
      const server = createServer(listener);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const [oldBase, newBase, oldFailing, newFailing] = await Promise.all([
      listen(viaExpress(serveShapeHttp)), listen(viaListener(serveShapeHttp)), listen(viaExpress(failing)), listen(viaListener(failing)),
    ]);
    const buyer = cookies["buyer@kessler.example"];
    const staff = cookies["admin@brandt-soehne.example"];
    const cases: { path: string; cookie?: string; method?: string }[] = [
      { path: `/sync/shapes/orders?offset=-1` },
      { path: `/sync/shapes/orders?offset=-1`, cookie: staff },
      { path: `/sync/shapes/users?offset=-1`, cookie: buyer },
      { path: `/sync/shapes/orders?offset=-1&account=${nordhavn.id}`, cookie: buyer },
      { path: `/sync/shapes/orders?offset=-1&live=true`, cookie: buyer },
      { path: `/sync/shapes/orders?offset=5_0`, cookie: buyer },
      { path: `/sync/shapes/orders?offset=-1&account=${kessler.id}`, cookie: buyer },
      { path: `/SYNC/shapes/accounts/?offset=-1`, cookie: buyer },
      { path: `/sync/shapes/%E0%A4%A?offset=-1`, cookie: buyer },
      { path: `/sync/shapes/orders?offset=-1`, cookie: buyer, method: "POST" },
      { path: `/sync/shapes/orders?offset=-1`, cookie: buyer, method: "HEAD" },
    ];
    // Per answer: what must not differ (the handle is fresh per snapshot; the date moves on).
    const answer = async (base: string, c: (typeof cases)[number]) => {
      const response = await fetch(`${base}${c.path}`, { method: c.method ?? "GET", headers: c.cookie ? { cookie: c.cookie } : {}, redirect: "manual" });
      const headers = Object.fromEntries([...response.headers].filter(([name]) => !["date", "electric-handle", "keep-alive", "connection"].includes(name)));
      let body: string | number = await response.text();
      if (response.headers.has("electric-handle")) body = body.length;
      // Express's error page outside production: the message, then a stack trace whose frames name
      // the middleware it passed (which differs by design); compared up to the stack.
      if (headers["content-type"]?.startsWith("text/html")) {
        body = String(body).replace(/<br>.*<\/pre>/s, "</pre>");
        delete headers["content-length"];
      }
      return { status: response.status, headers, body };
    };
    try {
      const statuses: number[] = [];
      for (const c of cases) {
        const before = await answer(oldBase, c);
        const now = await answer(newBase, c);
        expect(now, `${c.method ?? "GET"} ${c.path}`).toEqual(before);
        statuses.push(now.status);
      }
      // The cases cover what they claim to (signed out, staff, unknown shape, foreign account, bad
      // parameters, snapshots, Express's 400 for a bad parameter, methods for the Remix route).
      expect(statuses).toEqual([401, 403, 404, 404, 400, 400, 200, 200, 400, 405, 405]);
      expect((await answer(newBase, cases[6])).headers["content-length"]).toBeDefined();
      // A failing gateway: Express's own 500, in both.
      const failedBefore = await answer(oldFailing, cases[6]);
      expect(failedBefore.status).toBe(500);
      expect(await answer(newFailing, cases[6])).toEqual(failedBefore);
    } finally {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});

import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { signIn } from "../../test/support/portal";
import { serveShapeHttp } from "./gateway.server";
import { chooseSnapshotEncoding, COMPRESS_SNAPSHOT_MIN_BYTES } from "./snapshot-encoding.server";
import { account, openStream, type AccountFixture } from "./testing/fixtures";
import { ShapeCollector } from "./testing/shape-collector";

/** Initial snapshots travel compressed on the node:http fast path (docs/decisions/029). */

let db: Db;
let kessler: AccountFixture;
let cookie: string;
let fast: Server;
let base: string;
const aborter = new AbortController();

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  cookie = await signIn("buyer@kessler.example");
  fast = createServer((req, res) => {
    const name = new URL(req.url ?? "/", "http://fast.local").pathname.split("/").at(-1) ?? "";
    void serveShapeHttp(req, res, name).then((handled) => {
      if (!handled) res.writeHead(501).end();
    });
  });
  await new Promise<void>((resolve) => fast.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(fast.address() as AddressInfo).port}/sync/shapes`;
});

afterAll(async () => {
  aborter.abort();
  fast.closeAllConnections();
  await new Promise((resolve) => fast.close(resolve));
});

/** The raw bytes as they crossed the wire (fetch would decode them). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

describe("compressed snapshots", () => {
  it("chooses brotli, then gzip, from Accept-Encoding; nothing for small bodies, refusals, a local browser in auto mode, or off", () => {
    const big = COMPRESS_SNAPSHOT_MIN_BYTES;
    const remote = false;
    expect(chooseSnapshotEncoding("gzip, deflate, br, zstd", big, remote)).toBe("br"); // Chromium's order: the server's preference wins
    expect(chooseSnapshotEncoding("gzip, deflate", big, remote)).toBe("gzip");
    expect(chooseSnapshotEncoding("br;q=0, gzip", big, remote)).toBe("gzip");
    expect(chooseSnapshotEncoding("identity", big, remote)).toBeNull();
    expect(chooseSnapshotEncoding("*", big, remote)).toBe("br");
    expect(chooseSnapshotEncoding(undefined, big, remote)).toBeNull();
    expect(chooseSnapshotEncoding("gzip, br", big - 1, remote)).toBeNull();
    expect(chooseSnapshotEncoding("gzip, br", big, true)).toBeNull(); // auto: a browser on this machine
    expect(chooseSnapshotEncoding("gzip, br", big, true, "on")).toBe("br");
    expect(chooseSnapshotEncoding("gzip, br", big, remote, "off")).toBeNull();
    process.env.SYNC_COMPRESSION = "off";
    try {
      expect(chooseSnapshotEncoding("gzip, br", big, remote)).toBeNull();
    } finally {
      delete process.env.SYNC_COMPRESSION;
    }
  });

  it("sends a large snapshot as brotli or gzip, decoding to exactly the uncompressed bytes; live answers stay uncompressed", async () => {
    const url = `${base}/order_lines?offset=-1&account=${kessler.id}`;
    const plain = await rawGet(url, { cookie, "accept-encoding": "identity" });
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(Number(plain.headers["content-length"])).toBe(plain.body.length);
    expect(plain.body.length).toBeGreaterThan(COMPRESS_SNAPSHOT_MIN_BYTES);

    // From loopback the auto mode sends as is; a proxy's X-Forwarded-For says the browser is elsewhere.
    const local = await rawGet(url, { cookie, "accept-encoding": "gzip, deflate, br" });
    expect(local.headers["content-encoding"]).toBeUndefined();
    expect(local.body.equals(plain.body)).toBe(true);
    const forwarded = { "x-forwarded-for": "203.0.113.7" };
    const br = await rawGet(url, { cookie, "accept-encoding": "gzip, deflate, br", ...forwarded });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers["content-length"]).toBeUndefined();
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gzip = await rawGet(url, { cookie, "accept-encoding": "gzip", ...forwarded });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    // The Electric headers are the same whatever the encoding (each offset -1 request gets a handle of its own).
    for (const name of ["electric-offset", "electric-schema"]) expect(br.headers[name]).toBe(plain.headers[name]);

    // A catch-up from the snapshot's offset (nothing new): a small answer, never compressed.
    const handle = String(plain.headers["electric-handle"]);
    const offset = String(plain.headers["electric-offset"]);
    const catchUp = await rawGet(`${base}/order_lines?offset=${offset}&handle=${handle}&account=${kessler.id}`, { cookie, "accept-encoding": "br, gzip", ...forwarded });
    expect(catchUp.status).toBe(200);
    expect(catchUp.headers["content-encoding"]).toBeUndefined();
  });

  it.each(["br", "gzip"])("the real Electric client gets the snapshot as %s and syncs the same rows as Postgres holds", async (encoding) => {
    const received: (string | null)[] = [];
    const fetchClient: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      received.push(response.headers.get("content-encoding"));
      return response;
    };
    const headers = { cookie, "accept-encoding": encoding, "x-forwarded-for": "203.0.113.7" };
    const client = new ShapeCollector(openStream(`${base}/order_lines`, { account: kessler.id }, aborter.signal, headers, { fetchClient }));
    await client.waitForUpToDate();
    expect(received[0]).toBe(encoding);
    const { rows } = await db.query<{ id: string; quantity_ordered: string }>(
      "SELECT id, quantity_ordered::text FROM sales_order_lines WHERE account_id = $1",
      [kessler.id],
    );
    expect(client.rows.size).toBe(rows.length);
    const byId = new Map([...client.rows.values()].map((row) => [row.id, row.quantity_ordered]));
    for (const row of rows) expect(byId.get(row.id)).toBe(row.quantity_ordered);
  });
});

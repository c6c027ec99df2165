import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import morgan from "morgan";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { mountShapeRoute, shapeFastPath } from "./electric/server/shape-route.server";

const buildPath = path.resolve("build/index.js");
const build = (await import(pathToFileURL(buildPath).href).catch((error: Error) => {
  console.error(`Cannot load the server build at ${buildPath} (${error.message}). Run \`npm run build\` first.`);
  process.exit(1);
})) as ServerBuild & {
  entry: {
    module: {
      bootPortal: () => Promise<{ stop: () => Promise<void> }>;
      serveShapeHttp: (req: IncomingMessage, res: ServerResponse, shapeName: string) => Promise<boolean>;
    };
  };
};

const { stop: stopBackground } = await build.entry.module.bootPortal();

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY === "true") app.set("trust proxy", true);
// What the shape fast path (below, in front of Express) hands over: its failures, to Express's error handling.
mountShapeRoute(app);
// Shape responses stay uncompressed: long-poll answers are tiny and frequent (compressing them was
// the engine's largest CPU cost with 1,000 live clients, bench/sync.bench.ts), and server-sent
// events must reach the browser message by message.
app.use(
  compression({
    filter: (req, res) =>
      !req.path.startsWith("/sync/") && !String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream") && compression.filter(req, res),
  }),
);
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
// The replica worker is not content-hashed: browsers must revalidate it (it requests its wasm with ?v=hash).
app.use("/replica", express.static("public/replica", { maxAge: 0, setHeaders: (res) => res.setHeader("Cache-Control", "no-cache") }));
app.use(express.static("public", { maxAge: "1h" }));
if (process.env.NODE_ENV !== "test") app.use(morgan("tiny"));

app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
  }),
);

const port = Number(process.env.PORT ?? 3000);
// The shape gateway's fast path, before Express (its router, compression, static files, logging and
// Remix): live clients reconnect after every change, so this is most of the portal's requests. It
// answers GET /sync/shapes/<name> with the built-in engine and hands the rest (ELECTRIC_URL
// proxying, other methods) to Express, whose Remix route app/routes/sync.shapes.$name.ts answers
// them (electric/server/shape-route.server.ts, gateway.server.ts).
const server = createServer(shapeFastPath(build.entry.module.serveShapeHttp, app));
server.listen(port, () => {
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  console.log(`Ledgerlight listening on http://localhost:${actualPort}`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void stopBackground().finally(() => server.close(() => process.exit(0)));
    // Long-polls keep connections open; do not wait for them longer than a moment.
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}

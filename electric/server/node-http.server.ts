import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

/**
 * A bare node:http server around a fetch-style handler. The tests run the real
 * @electric-sql/client against the engine through it; it also serves the engine standalone.
 * Closing the connection aborts the request's signal, which releases a held long-poll.
 */
export type FetchHandler = (request: Request) => Promise<Response>;

export interface RunningServer {
  url: string;
  port: number;
  /** Stops listening and cuts open connections (held long-polls included), like a crash would. */
  close: () => Promise<void>;
}

export async function startHttpServer(handler: FetchHandler, port = 0, host = "127.0.0.1"): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    void respond(handler, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const host = req.headers.host ?? "localhost";
    const request = new Request(new URL(req.url ?? "/", `http://${host}`), {
      method: req.method,
      headers,
      signal: controller.signal,
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    if (!response.body) {
      res.end();
      return;
    }
    const body = Readable.fromWeb(response.body as NodeReadableStream);
    body.on("error", () => res.destroy());
    body.pipe(res);
  } catch (error) {
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: (error as Error).message }));
    } else {
      res.destroy();
    }
  }
}

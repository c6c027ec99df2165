import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream";
import { constants, createBrotliCompress, createGzip, type BrotliCompress, type Gzip } from "node:zlib";
import Negotiator from "negotiator";

/**
 * Initial snapshots travel compressed (docs/decisions/029-compressed-snapshots.md). A contact's first
 * sync of 100k documents is ~318 MB of shape JSON, ~25 s on a 100 Mbit/s line; brotli at its fastest
 * setting makes it ~10× smaller at ~400 MB/s of one core, gzip at level 1 ~9× at ~250 MB/s. Live
 * answers and SSE frames stay as they are: they are small, frequent and shared by many clients
 * (compressing them was the engine's largest CPU cost with 1,000 live clients, server.ts).
 */
export type SnapshotEncoding = "br" | "gzip";

/** Below this a snapshot is sent as is: the saving is a few packets, the stream setup is not free. */
export const COMPRESS_SNAPSHOT_MIN_BYTES = 64 * 1024;

/**
 * `SYNC_COMPRESSION`: `auto` (default) compresses for every client but a browser on the portal's own
 * machine (a loopback peer that no proxy forwarded: there the bytes cost nothing and compressing
 * only burns CPU on both ends, measured in decision 029); `on` always; `off` never (e.g. behind a
 * proxy that compresses itself).
 */
export type CompressionMode = "auto" | "on" | "off";

export function snapshotCompressionMode(): CompressionMode {
  const mode = process.env.SYNC_COMPRESSION;
  return mode === "on" || mode === "off" ? mode : "auto";
}

/** A client on this machine, reached without a proxy: nothing travels over a real network. */
export function isLocalClient(req: IncomingMessage): boolean {
  const peer = req.socket.remoteAddress ?? "";
  const loopback = peer === "::1" || peer.startsWith("127.") || peer.startsWith("::ffff:127.");
  return loopback && !req.headers["x-forwarded-for"] && !req.headers.forwarded && !req.headers["x-real-ip"];
}

/**
 * The encoding for a snapshot of `byteLength` bytes, from the request's Accept-Encoding: brotli
 * where offered (browsers offer it over HTTPS), else gzip (all browsers, also over plain HTTP), else
 * none. The browser's fetch decodes either before the replica or the Electric client sees a byte.
 */
export function chooseSnapshotEncoding(
  acceptEncoding: string | undefined,
  byteLength: number,
  localClient: boolean,
  mode: CompressionMode = snapshotCompressionMode(),
): SnapshotEncoding | null {
  if (!acceptEncoding || byteLength < COMPRESS_SNAPSHOT_MIN_BYTES || mode === "off" || (mode === "auto" && localClient)) return null;
  const negotiator = new Negotiator({ headers: { "accept-encoding": acceptEncoding } });
  // The second argument (the server's preference among equally acceptable encodings) is in
  // negotiator 0.6.4 but not in its @types.
  const chosen = (negotiator.encoding as (available: string[], preferred: string[]) => string | undefined)(["br", "gzip", "identity"], ["br", "gzip"]);
  return chosen === "br" || chosen === "gzip" ? chosen : null;
}

function compressor(encoding: SnapshotEncoding, byteLength: number): BrotliCompress | Gzip {
  if (encoding === "gzip") return createGzip({ level: 1 });
  return createBrotliCompress({
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: byteLength,
    },
  });
}

/**
 * Writes the parts through the compressor (zlib works on libuv's thread pool, off the event loop)
 * into `res`, whose status and headers the caller has set, content-encoding included.
 */
export function writeCompressed(res: ServerResponse, encoding: SnapshotEncoding, parts: readonly Uint8Array[], byteLength: number): void {
  const zip = compressor(encoding, byteLength);
  // A client that went away destroys res; pipeline then destroys the compressor and frees its buffers.
  pipeline(zip, res, () => undefined);
  for (const part of parts) zip.write(part);
  zip.end();
}

/**
 * The snapshot worker (bundled to public/replica/snapshot-worker.js by scripts/build-replica.mjs),
 * started by the replica worker (worker.ts) for the initial sync: it fetches the offset -1 snapshot
 * responses and converts their bodies to SQLite's binary JSON with an in-memory SQLite of its own,
 * so the replica worker's thread only inserts. See snapshot-decoder.ts.
 */
import { createOo1Driver, loadSqlite3 } from "./driver";
import { serveSnapshotDecoder, type DecoderEndpoint } from "./snapshot-decoder";

/** Set by the build (esbuild `define`) to the wasm's content hash, as in worker.ts. */
declare const __REPLICA_WASM_VERSION__: string | undefined;
const WASM_VERSION = typeof __REPLICA_WASM_VERSION__ === "string" ? __REPLICA_WASM_VERSION__ : "dev";

serveSnapshotDecoder(self as unknown as DecoderEndpoint, async () => {
  const sqlite3 = await loadSqlite3({ wasmUrl: new URL(`sqlite3.wasm?v=${WASM_VERSION}`, self.location.href).href });
  return createOo1Driver(new sqlite3.oo1.DB(":memory:", "c"));
});

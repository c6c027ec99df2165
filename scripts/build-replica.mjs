#!/usr/bin/env node
/**
 * Builds the browser replica: bundles electric/replica/worker.ts (and everything it imports:
 * sqlite-wasm's JS glue, @electric-sql/client, the shape registry) into public/replica/worker.js,
 * electric/replica/snapshot-worker.ts (sqlite-wasm and the snapshot check only) into
 * public/replica/snapshot-worker.js, and copies sqlite3.wasm next to them, where both workers ask
 * for it (`sqlite3.wasm?v=<hash>`: the hash is baked in, so a changed wasm is never served from a
 * stale cache).
 *
 *   node scripts/build-replica.mjs           one build
 *   node scripts/build-replica.mjs --watch   rebuild on change (development)
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(root, "public", "replica");
const require = createRequire(import.meta.url);
const wasmSource = require.resolve("@sqlite.org/sqlite-wasm/sqlite3.wasm");

const wasmHash = createHash("sha256").update(await readFile(wasmSource)).digest("hex").slice(0, 12);

/** @type {import("esbuild").BuildOptions} */
const options = {
  // The replica worker, and the snapshot worker it starts for the initial sync (snapshot-decoder.ts).
  entryPoints: [path.join(root, "electric", "replica", "worker.ts"), path.join(root, "electric", "replica", "snapshot-worker.ts")],
  outdir: outDir,
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  minify: true,
  sourcemap: "linked",
  legalComments: "external",
  define: { __REPLICA_WASM_VERSION__: JSON.stringify(wasmHash) },
  logLevel: "warning",
};

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
await copyFile(wasmSource, path.join(outDir, "sqlite3.wasm"));

if (process.argv.includes("--watch")) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log(`build-replica: watching, writing ${path.relative(root, outDir)}/worker.js and snapshot-worker.js`);
} else {
  const started = performance.now();
  await esbuild.build(options);
  const size = async (file) => `${((await stat(path.join(outDir, file))).size / 1024).toFixed(0)} KiB`;
  console.log(
    `build-replica: ${path.relative(root, outDir)}/worker.js (${await size("worker.js")}) + snapshot-worker.js (${await size("snapshot-worker.js")}) + sqlite3.wasm (${await size("sqlite3.wasm")}, ${wasmHash})` +
      ` in ${Math.round(performance.now() - started)} ms`,
  );
}

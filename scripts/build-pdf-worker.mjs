#!/usr/bin/env node
/**
 * Compiles the PDF render worker (app/modules/pdf/render-worker.server.ts and the templates it
 * imports) to build/render-worker.js, beside the Remix server build (build/index.js), where
 * render-pool.server.ts looks for it. The worker is started by path, so it cannot be part of the
 * Remix bundle; packages stay external and load from node_modules like the server build's.
 * Runs after `remix build` (which empties build/). An argument names another output file inside
 * the repository (the documents benchmark compiles its own copy: build/bench/render-worker.js).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, "build", "render-worker.js");

await esbuild.build({
  entryPoints: [path.join(root, "app", "modules", "pdf", "render-worker.server.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  jsx: "automatic",
  tsconfig: path.join(root, "tsconfig.json"),
  logLevel: "warning",
});
console.log(`PDF render worker → ${path.relative(root, outfile)}`);

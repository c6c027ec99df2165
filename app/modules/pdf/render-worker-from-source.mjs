// Starts the render worker from its TypeScript source (tests, benchmarks, scripts): Node does not
// pass `--import tsx` on to worker threads, so the worker registers tsx itself before loading it.
import { register } from "tsx/esm/api";

register();
await import("./render-worker.server.ts");

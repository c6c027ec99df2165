import { getHeapStatistics } from "node:v8";
import { parentPort } from "node:worker_threads";
import type { RenderJob, WorkerReply, WorkerRequest } from "./render-jobs";
import { preparePdfFonts } from "./assets.server";
import { renderCommercialPdf, renderDeliveryNotePdf, renderHybridInvoicePdf, renderInvoicePdf, renderStatementPdf } from "./render.server";

/**
 * Entry of a render worker thread (render-pool.server.ts starts them): renders one job at a time
 * and hands the PDF back as a transferred buffer. Loaded from source via tsx (tests, benchmarks) or
 * as build/render-worker.js (scripts/build-pdf-worker.mjs) beside the Remix server build.
 */

if (!parentPort) throw new Error("render-worker.server.ts runs as a worker thread (see render-pool.server.ts), not as a script");
const port = parentPort;

function render(job: RenderJob): Promise<Uint8Array> {
  switch (job.kind) {
    case "invoice":
      return renderInvoicePdf(job.data, job.createdAt);
    case "hybrid":
      return renderHybridInvoicePdf(job.data, job.format, job.createdAt).then((r) => r.pdf);
    case "delivery_note":
      return renderDeliveryNotePdf(job.data, job.createdAt);
    case "commercial":
      return renderCommercialPdf(job.data, job.createdAt);
    case "statement":
      return renderStatementPdf(job.data, job.createdAt);
  }
}

/** A buffer of its own: a Buffer from Node's pool shares its ArrayBuffer and must not be transferred. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
}

port.on("message", async (request: WorkerRequest) => {
  if ("memoryProbe" in request) {
    const heap = getHeapStatistics();
    const usage = process.memoryUsage();
    const reply: WorkerReply = {
      memoryProbe: request.memoryProbe,
      memory: { heapTotal: heap.total_heap_size, heapUsed: heap.used_heap_size, external: usage.external, malloced: heap.malloced_memory, processRss: usage.rss },
    };
    port.postMessage(reply);
    return;
  }
  const { id, job } = request;
  const started = performance.now();
  let reply: WorkerReply;
  try {
    const pdf = ownBuffer(await render(job));
    reply = { id, pdf, ms: performance.now() - started };
    port.postMessage(reply, [pdf.buffer as ArrayBuffer]);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id, error: { name: e.name, message: e.message, stack: e.stack } };
    port.postMessage(reply);
  }
});

// Fonts are parsed before the first job arrives, not during it.
void preparePdfFonts().then(() => port.postMessage({ ready: true }));

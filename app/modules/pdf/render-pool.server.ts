import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RenderJob, WorkerReply, WorkerRequest } from "./render-jobs";

/**
 * Every PDF is rendered in a pool of worker threads, never on the portal's event loop: a render is
 * ~50–100 ms of synchronous layout per page (react-pdf, yoga, fontkit), which would stall every
 * other request meanwhile. The pool has one worker per core (PDF_RENDER_WORKERS overrides), a
 * bounded queue (callers wait for room: backpressure, no unbounded buffering of PDF data) and
 * replaces a worker that dies. Workers are unref'd while idle, so they never keep a process alive.
 *
 * The worker entry is build/render-worker.js beside the Remix server build (compiled by
 * scripts/build-pdf-worker.mjs, `npm run build`); from sources (vitest, benchmarks, scripts) it
 * is render-worker.server.ts loaded through tsx (render-worker-from-source.mjs).
 */

export interface RenderPoolOptions {
  size: number;
  /** Jobs waiting for a worker before render() itself waits. */
  maxQueue: number;
  /** Old-generation heap limit per worker: room for the largest document; a job that needs more fails, the worker is replaced. */
  maxOldGenerationSizeMb: number;
  /** Young-generation (semi-space) limit per worker; default 8 MB (see decision 011). */
  maxYoungGenerationSizeMb?: number;
  /**
   * The worker's entry file; default: build/render-worker.js beside the server build, else the
   * TypeScript source through tsx (PDF_RENDER_WORKER_ENTRY overrides, for the benchmark).
   */
  entry?: string;
}

/** One worker's V8 heap, as the worker itself reports it (bytes). */
export interface WorkerMemory {
  /** Heap the isolate has reserved (V8's total_heap_size) and of it in use. */
  heapTotal: number;
  heapUsed: number;
  /** Memory outside the JS heap that V8 knows of (Buffers, ArrayBuffers) and V8's own malloc. */
  external: number;
  malloced: number;
  /** Resident set of the whole process at that moment (threads share it; not per worker). */
  processRss: number;
}

interface Pending {
  id: number;
  job: RenderJob;
  resolve: (pdf: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Settles when the worker has loaded (or failed to). */
  started: Promise<void>;
  current: Pending | null;
}

export class RenderPoolError extends Error {}

function workerEntry(): string {
  const configured = process.env.PDF_RENDER_WORKER_ENTRY;
  if (configured) {
    if (!existsSync(configured)) throw new RenderPoolError(`PDF_RENDER_WORKER_ENTRY names ${configured}, which does not exist`);
    return path.resolve(configured);
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  // In the server build this module is inlined into build/index.js; the worker is compiled beside it.
  const built = path.join(here, "render-worker.js");
  if (existsSync(built)) return built;
  for (const dir of [here, path.resolve(process.cwd(), "app/modules/pdf")]) {
    const source = path.join(dir, "render-worker-from-source.mjs");
    if (existsSync(source)) return source;
  }
  throw new RenderPoolError(
    `No PDF render worker: neither ${built} (run \`npm run build\`) nor app/modules/pdf/render-worker.server.ts under ${process.cwd()} exists.`,
  );
}

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly waitingForRoom: (() => void)[] = [];
  private readonly memoryProbes = new Map<number, (memory: WorkerMemory) => void>();
  private nextId = 1;
  private closed = false;

  constructor(readonly options: RenderPoolOptions) {}

  get size(): number {
    return this.options.size;
  }

  /** Jobs waiting for a worker (at most maxQueue). */
  get queued(): number {
    return this.queue.length;
  }

  /** Renders one document in a worker. Waits first while the queue is full. */
  async render(job: RenderJob): Promise<Uint8Array> {
    while (this.queue.length >= this.options.maxQueue) await new Promise<void>((resolve) => this.waitingForRoom.push(resolve));
    if (this.closed) throw new RenderPoolError("the PDF render pool is closed");
    this.ensureWorkers();
    return new Promise<Uint8Array>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts the workers and resolves once each has loaded the renderer and its fonts (~1 s from a build). */
  async warmUp(): Promise<void> {
    if (this.closed) throw new RenderPoolError("the PDF render pool is closed");
    this.ensureWorkers();
    await Promise.all(this.slots.map((slot) => slot.started));
  }

  /** Each running worker's heap, reported by the worker between jobs (a busy worker answers after its job). */
  async workerMemory(): Promise<WorkerMemory[]> {
    const ready = this.slots.filter((slot) => slot.ready);
    return Promise.all(
      ready.map(
        (slot) =>
          new Promise<WorkerMemory>((resolve, reject) => {
            const probe = this.nextId++;
            const exited = () => {
              this.memoryProbes.delete(probe);
              reject(new RenderPoolError("the PDF render worker exited before it reported its memory"));
            };
            this.memoryProbes.set(probe, (memory) => {
              slot.worker.off("exit", exited);
              resolve(memory);
            });
            slot.worker.once("exit", exited);
            slot.worker.postMessage({ memoryProbe: probe } satisfies WorkerRequest);
          }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new RenderPoolError("the PDF render pool closed"));
    for (const wake of this.waitingForRoom.splice(0)) wake();
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private ensureWorkers(): void {
    while (this.slots.length < this.options.size) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(pathToFileURL(this.options.entry ?? workerEntry()), {
      execArgv: [],
      // A small young generation: renders make much short-lived garbage, and collecting it often keeps each worker's RSS low.
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: this.options.maxYoungGenerationSizeMb ?? 8 },
      env: process.env,
    });
    let started!: { resolve: () => void; reject: (error: Error) => void };
    const slot: Slot = { worker, ready: false, current: null, started: new Promise<void>((resolve, reject) => (started = { resolve, reject })) };
    slot.started.catch(() => undefined);
    worker.unref();
    worker.on("message", (message: WorkerReply | { ready: true }) => {
      if ("memoryProbe" in message) {
        const resolve = this.memoryProbes.get(message.memoryProbe);
        this.memoryProbes.delete(message.memoryProbe);
        resolve?.(message.memory);
        return;
      }
      if ("ready" in message) {
        slot.ready = true;
        started.resolve();
        this.dispatch();
        return;
      }
      const pending = slot.current;
      if (!pending || pending.id !== message.id) return;
      slot.current = null;
      worker.unref();
      if ("error" in message) {
        const error = new RenderPoolError(`rendering the ${pending.job.kind} PDF failed in a worker: ${message.error.message}`);
        error.stack = message.error.stack ?? error.stack;
        pending.reject(error);
      } else {
        pending.resolve(message.pdf);
      }
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.current?.reject(new RenderPoolError(`a PDF render worker died: ${error.message}`));
      slot.current = null;
      // A worker that cannot even start (a broken build) must not be respawned in a loop.
      if (!slot.ready) {
        started.reject(new RenderPoolError(`the PDF render worker did not start: ${error.message}`));
        for (const pending of this.queue.splice(0)) pending.reject(new RenderPoolError(`the PDF render worker did not start: ${error.message}`));
        this.wakeProducers();
        return;
      }
      if (!this.closed && this.queue.length > 0) this.ensureWorkers();
      this.dispatch();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.current) continue;
      const pending = this.queue.shift();
      if (!pending) break;
      slot.current = pending;
      // Referenced while it works: a process waiting for a PDF must not exit under it.
      slot.worker.ref();
      const request: WorkerRequest = { id: pending.id, job: pending.job };
      slot.worker.postMessage(request);
    }
    this.wakeProducers();
  }

  private wakeProducers(): void {
    while (this.waitingForRoom.length > 0 && this.queue.length < this.options.maxQueue) this.waitingForRoom.shift()!();
  }
}

function poolSize(): number {
  const configured = process.env.PDF_RENDER_WORKERS;
  if (configured === undefined || configured === "") return Math.max(1, os.availableParallelism());
  const size = Number(configured);
  if (!Number.isInteger(size) || size < 1 || size > 64) throw new Error(`PDF_RENDER_WORKERS must be a whole number from 1 to 64, got "${configured}"`);
  return size;
}

let pool: RenderPool | undefined;

/** The process's render pool, created on first use. */
export function getRenderPool(): RenderPool {
  pool ??= new RenderPool({
    size: poolSize(),
    maxQueue: 64,
    maxOldGenerationSizeMb: 256,
    maxYoungGenerationSizeMb: 8,
  });
  return pool;
}

/** Renders a PDF in the process's render pool. */
export function renderInPool(job: RenderJob): Promise<Uint8Array> {
  return getRenderPool().render(job);
}

export async function closeRenderPool(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.close();
}

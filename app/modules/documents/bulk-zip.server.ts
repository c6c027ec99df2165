import { randomUUID } from "node:crypto";
import { PassThrough, type Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ZipArchive, type Archiver, type EntryData } from "archiver";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Queryable } from "~/db/db.server";
import { getDb } from "~/db/connection.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { loadInvoiceDocument } from "~/modules/einvoice/load.server";
import { EINVOICE_FORMATS, type EInvoiceFormat } from "~/modules/einvoice/model";
import { EInvoiceRefusedError } from "~/modules/einvoice/validate";
import { getRenderPool } from "~/modules/pdf/render-pool.server";
import { recordDocumentAccess, recordDocumentEvent, type AccessOrigin, type AccessedDocument } from "./access-log.server";
import { invoiceEInvoiceFile, invoicePdfFile, type DocumentFile } from "./invoice-files.server";
import { findOrderDocument, orderDocumentPdfFile, type OrderDocumentType } from "./order-documents.server";

/**
 * Bulk download: many documents → one streaming ZIP of PDFs and/or e-invoices plus manifest.csv
 * (number, type, date, amount, currency, file, sha256). Documents are rendered in parallel in the
 * render pool (twice as many in flight as there are workers) and written into the archive as they
 * finish, one entry at a time; a producer takes its next document only once its entry is in the
 * archive stream, which itself waits for the client: memory stays flat whether the ZIP holds 5 or
 * 5,000 documents. Every document is checked
 * against the scope before the first byte goes out; one that is not the contact's makes the whole
 * request answer 404, like a single download would.
 */

export const MAX_BULK_DOCUMENTS = 5000;
export const BULK_TYPES = ["invoice", "credit_note", "delivery_note", "order_confirmation", "quote"] as const;
type BulkType = (typeof BULK_TYPES)[number];

export const BulkRequestSchema = z.object({
  ids: z
    .array(z.string().regex(/^(invoice|credit_note|delivery_note|order_confirmation|quote):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be type:uuid"))
    .min(1, "select at least one document")
    .max(MAX_BULK_DOCUMENTS, `at most ${MAX_BULK_DOCUMENTS} documents per download`),
  include: z.enum(["pdf", "einvoice", "both"]).default("pdf"),
  format: z.enum(EINVOICE_FORMATS).default("zugferd-en16931"),
  job: z.string().regex(/^[\w-]{8,64}$/).optional(),
});
export type BulkRequest = z.infer<typeof BulkRequestSchema>;

export interface SelectedDocument {
  type: BulkType;
  id: string;
  number: string;
  date: string;
  amount: string | null;
  currency: string | null;
}

/** The selected documents if every one is in scope and readable; null otherwise (answer 404). */
export async function resolveSelection(scope: Scope, ids: string[]): Promise<SelectedDocument[] | null> {
  const byType = new Map<BulkType, string[]>();
  for (const ref of new Set(ids.map((r) => r.toLowerCase()))) {
    const [type, id] = ref.split(":") as [BulkType, string];
    byType.set(type, [...(byType.get(type) ?? []), id]);
  }
  const wantsMoney = (byType.get("invoice")?.length ?? 0) + (byType.get("credit_note")?.length ?? 0) > 0;
  if (wantsMoney && !contactCan(scope.role, "invoices.read")) return null;
  const db = await getDb();
  const found: SelectedDocument[] = [];
  const tables: Record<BulkType, { sql: string; alias: string }> = {
    invoice: { alias: "i", sql: `SELECT i.id, i.kind AS type, i.number, i.issue_date AS date, i.gross_amount AS amount, i.currency FROM invoices i WHERE i.kind = 'invoice' AND` },
    credit_note: { alias: "i", sql: `SELECT i.id, i.kind AS type, i.number, i.issue_date AS date, i.gross_amount AS amount, i.currency FROM invoices i WHERE i.kind = 'credit_note' AND` },
    delivery_note: { alias: "d", sql: `SELECT d.id, 'delivery_note' AS type, d.number, d.issue_date AS date, NULL AS amount, NULL AS currency FROM delivery_notes d WHERE` },
    order_confirmation: { alias: "c", sql: `SELECT c.id, 'order_confirmation' AS type, c.number, c.issue_date AS date, c.gross_amount AS amount, c.currency FROM order_confirmations c WHERE` },
    quote: { alias: "q", sql: `SELECT q.id, 'quote' AS type, q.number, q.issue_date AS date, q.gross_amount AS amount, q.currency FROM quotes q WHERE` },
  };
  for (const [type, list] of byType) {
    const { alias, sql } = tables[type];
    const where = scopeFilter(scope, alias, 2);
    const { rows } = await db.query<SelectedDocument>(`${sql} ${alias}.id = ANY($1::uuid[]) AND ${where.sql}`, [list, ...where.params]);
    if (rows.length !== list.length) return null;
    found.push(...rows);
  }
  // Keep the order the contact selected them in.
  const position = new Map(ids.map((r, i) => [r.toLowerCase().split(":")[1], i]));
  return found.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

export interface BulkProgress {
  userId: string;
  total: number;
  done: number;
  finished: boolean;
  failed: string | null;
  startedAt: number;
}

const jobs = new Map<string, BulkProgress>();

export function getBulkProgress(scope: Scope, job: string): BulkProgress | null {
  const progress = jobs.get(job);
  return progress && progress.userId === scope.userId ? progress : null;
}

interface ManifestRow {
  number: string;
  type: string;
  date: string;
  amount: string;
  currency: string;
  file: string;
  format: string;
  sha256: string;
  status: string;
}

/**
 * Streams the ZIP. Call only with a selection from resolveSelection (scope-checked). The returned
 * stream is a Node Readable; the route hands it to the Response.
 */
export function streamBulkZip(scope: Scope, selection: SelectedDocument[], request: Pick<BulkRequest, "include" | "format" | "job">, origin: AccessOrigin): Readable {
  const job = request.job ?? randomUUID();
  const progress: BulkProgress = { userId: scope.userId, total: selection.length, done: 0, finished: false, failed: null, startedAt: Date.now() };
  jobs.set(job, progress);
  setTimeout(() => jobs.delete(job), 30 * 60_000).unref();
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const out = new PassThrough();
  archive.pipe(out);
  archive.on("warning", (error: Error) => console.warn("bulk zip:", error.message));
  archive.on("error", (error: Error) => out.destroy(error));
  // A client that goes away mid-download ends the job instead of leaving it waiting for a reader.
  // Not a Promise.race with one promise that stays pending for the whole download: each race would
  // leave a reaction on it holding its result — every PDF of the ZIP, until the end (decision 011).
  let closed = false;
  out.once("close", () => (closed = true));
  const unlessGone = <T>(work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onClose = () => reject(new Error("the client closed the download"));
      if (closed) return onClose();
      out.once("close", onClose);
      work.then(
        (value) => {
          out.off("close", onClose);
          resolve(value);
        },
        (error: unknown) => {
          out.off("close", onClose);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  fill(archive, scope, selection, request, origin, job, progress, unlessGone).catch((error: Error) => {
    progress.failed = error.message;
    console.error("bulk zip failed:", error);
    archive.abort();
    out.destroy(error);
  });
  return out;
}

async function fill(
  archive: Archiver,
  scope: Scope,
  selection: SelectedDocument[],
  request: Pick<BulkRequest, "include" | "format">,
  origin: AccessOrigin,
  job: string,
  progress: BulkProgress,
  unlessGone: <T>(work: Promise<T>) => Promise<T>,
) {
  const db = await getDb();
  // Manifest rows stay in the order of the selection; ZIP entries go in as their documents finish.
  const manifest: ManifestRow[][] = [];
  const names = new Set<string>();
  let audited: AccessedDocument[] = [];
  const flushAudit = async () => {
    await recordDocumentAccess(db, origin, "document.download", audited, { bulk: job });
    audited = [];
  };
  // One writer at a time: entries are appended to the archive strictly one after another.
  let writing: Promise<void> = Promise.resolve();
  const write = (index: number, doc: SelectedDocument, files: Produced[]) => {
    writing = writing.then(async () => {
      const rows: ManifestRow[] = [];
      for (const item of files) {
        if ("refused" in item) {
          rows.push(row(doc, "", item.format, "", item.refused));
          continue;
        }
        const { file, format } = item;
        let name = file.fileName;
        for (let n = 2; names.has(name); n++) name = file.fileName.replace(/(\.[^.]+)$/, `_${n}$1`);
        names.add(name);
        await unlessGone(appendEntry(archive, file.bytes, name, file.contentType === "application/pdf"));
        rows.push(row(doc, name, format, file.sha256, "ok"));
        audited.push({ type: doc.type, id: doc.id, number: doc.number, format, fileName: name, sha256: file.sha256, source: file.source });
      }
      manifest[index] = rows;
      progress.done += 1;
      if (progress.done % GC_EVERY === 0) collectGarbage();
      if (audited.length >= 100) await flushAudit();
    });
    return writing;
  };
  // A few documents are produced at once, so the render pool has work for every worker while the
  // archive takes the previous entry; each producer waits for its entry to be written before it
  // takes the next document, so at most `parallel` documents are held in memory.
  const parallel = getRenderPool().size * 2;
  let next = 0;
  let failed = false;
  const producer = async () => {
    while (!failed && next < selection.length) {
      const index = next++;
      const doc = selection[index];
      try {
        await write(index, doc, await unlessGone(filesFor(db, scope, doc, request)));
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, selection.length) }, producer));
  await writing;
  await flushAudit();
  const csv = stringify(manifest.flat(), { header: true, columns: ["number", "type", "date", "amount", "currency", "file", "format", "sha256", "status"] });
  await unlessGone(appendEntry(archive, Buffer.from(csv, "utf8"), "manifest.csv", false));
  await recordDocumentEvent(db, origin, "document.bulk_download", { job, count: selection.length, files: manifest.flat().filter((m) => m.status === "ok").length, include: request.include, format: request.format });
  await archive.finalize();
  progress.finished = true;
}

/**
 * A rendered PDF reaches the main thread as an ArrayBuffer transferred from its worker (~35 KB),
 * dead once its entry is written. It lives across several scavenges (render, blob store, cache row,
 * archive), so most are promoted, and V8 frees promoted buffers only after their external memory
 * grew by ~64 MB: a cold ZIP kept ~25 MB of dead PDFs (bench/documents.bench.ts, decision 011).
 * A full collection every GC_EVERY documents frees them.
 */
const GC_EVERY = 100;
let gc: (() => void) | undefined;
function collectGarbage(): void {
  if (!gc) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) gc = exposed;
    else {
      setFlagsFromString("--expose-gc");
      gc = runInNewContext("gc") as () => void;
    }
  }
  gc();
}

type Produced = { file: DocumentFile; format: string } | { refused: string; format: string };

async function filesFor(db: Queryable, scope: Scope, doc: SelectedDocument, request: Pick<BulkRequest, "include" | "format">): Promise<Produced[]> {
  if (doc.type === "invoice" || doc.type === "credit_note") {
    const loaded = await loadInvoiceDocument(db, scope, doc.id);
    if (!loaded) throw new Error(`${doc.number} left the scope during the download`);
    const out: Produced[] = [];
    if (request.include !== "einvoice") out.push({ file: await invoicePdfFile(db, loaded), format: "pdf" });
    if (request.include !== "pdf") {
      try {
        out.push({ file: await invoiceEInvoiceFile(db, loaded, request.format as EInvoiceFormat), format: request.format });
      } catch (error) {
        if (!(error instanceof EInvoiceRefusedError)) throw error;
        out.push({ refused: `refused: ${error.violations.map((v) => `${v.rule} ${v.term}`).join("; ")}`, format: request.format });
      }
    }
    return out;
  }
  // Delivery notes, confirmations and quotes have no e-invoice: their PDF goes in either way.
  const header = await findOrderDocument(db, scope, doc.type as OrderDocumentType, doc.id);
  if (!header) throw new Error(`${doc.number} left the scope during the download`);
  return [{ file: await orderDocumentPdfFile(db, doc.type as OrderDocumentType, header), format: "pdf" }];
}

function row(doc: SelectedDocument, file: string, format: string, hash: string, status: string): ManifestRow {
  return { number: doc.number, type: doc.type, date: doc.date, amount: doc.amount ?? "", currency: doc.currency ?? "", file, format, sha256: hash, status };
}

/** Appends one entry and resolves once the archive has written it (one entry in flight at a time). */
function appendEntry(archive: Archiver, bytes: Buffer, name: string, alreadyCompressed: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: EntryData) => {
      if (entry.name !== name) return;
      archive.off("entry", onEntry);
      archive.off("error", reject);
      resolve();
    };
    archive.on("entry", onEntry);
    archive.once("error", reject);
    archive.append(bytes, { name, store: alreadyCompressed });
  });
}


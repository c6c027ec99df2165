import type { EInvoiceFormat } from "~/modules/einvoice/model";
import type { CommercialPdfData } from "./templates/commercial";
import type { DeliveryNotePdfData } from "./templates/delivery-note";
import type { InvoicePdfData } from "./templates/invoice";
import type { StatementPdfData } from "./templates/statement";

/**
 * What the portal asks a render worker for: plain data (structured-cloneable, no functions) and the
 * document's version time. Types only, so importing this never loads the renderer.
 */
export type RenderJob =
  | { kind: "invoice"; data: InvoicePdfData; createdAt: Date }
  | { kind: "hybrid"; data: InvoicePdfData; format: EInvoiceFormat; createdAt: Date }
  | { kind: "delivery_note"; data: DeliveryNotePdfData; createdAt: Date }
  | { kind: "commercial"; data: CommercialPdfData; createdAt: Date }
  | { kind: "statement"; data: StatementPdfData; createdAt: Date };

export type WorkerRequest = { id: number; job: RenderJob } | { memoryProbe: number };
export type WorkerReply =
  | { id: number; pdf: Uint8Array; ms: number }
  | { id: number; error: { name: string; message: string; stack?: string } }
  | { memoryProbe: number; memory: { heapTotal: number; heapUsed: number; external: number; malloced: number; processRss: number } };

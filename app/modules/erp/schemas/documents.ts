import { z } from "zod";
import {
  erpRef,
  integer,
  oneOf,
  optionalDateTime,
  optionalRef,
  requireVersion,
  text,
  versioned,
} from "./fields";

/**
 * Files the ERP supplies: the original PDF of a document, certificates, data sheets. Sent as
 * multipart (the bytes and this record; sha256, byteSize and contentType then come from the bytes),
 * or as JSON for bytes uploaded before.
 */

export const DOCUMENT_TYPES = [
  "invoice", "credit_note", "delivery_note", "order_confirmation", "quote", "statement", "certificate", "data_sheet", "other",
] as const;

export const DocumentFileShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  locationErpId: optionalRef("location (of the same account)"),
  documentType: oneOf(DOCUMENT_TYPES),
  documentErpId: optionalRef("document of documentType this file is the original of"),
  salesOrderErpId: optionalRef("sales order"),
  title: text(200),
  fileName: text(255).refine((v) => !/[/\\\0]/.test(v), "must be a file name without a path"),
  contentType: z
    .string({ error: "must be a media type like application/pdf" })
    .trim()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a media type like application/pdf")
    .default("application/pdf"),
  byteSize: integer(0, Number.MAX_SAFE_INTEGER),
  sha256: z
    .string({ error: "must be the SHA-256 of the bytes, 64 hex digits" })
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{64}$/, "must be the SHA-256 of the bytes, 64 hex digits"),
  issuedAt: optionalDateTime(),
});

export const DocumentFileSchema = DocumentFileShape.superRefine((record, ctx) => {
  requireVersion(record, ctx);
  const ownsDocument = !["certificate", "data_sheet", "other"].includes(record.documentType);
  if (record.documentErpId && !ownsDocument) {
    ctx.addIssue({ code: "custom", path: ["documentErpId"], message: `must be empty for documentType ${record.documentType}` });
  }
});

/** The multipart variant: the same record without what the bytes tell. */
export const DocumentFileUploadShape = DocumentFileShape.omit({ byteSize: true, sha256: true }).extend({
  contentType: DocumentFileShape.shape.contentType.optional(),
  fileName: DocumentFileShape.shape.fileName.optional(),
});

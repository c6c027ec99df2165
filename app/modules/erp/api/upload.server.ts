import { BlobRejectedError, getBlobStore, type BlobType } from "~/modules/blobs/blob-store.server";
import { ERP_FILE_MAX_BYTES } from "~/modules/documents/erp-files.server";
import type { EntityDef } from "../entities/types";
import { BodyTooLargeError, LIMITS, jsonError, readLimitedBody } from "./http.server";
import type { AuthenticatedKey } from "./keys.server";
import { batchResponse, runApiBatch } from "./batch.server";

/**
 * POST /api/erp/v1/document-files as multipart/form-data: part `file` (the ERP's original PDF, or a
 * certificate / data sheet) and part `record` (the document-file record as JSON, without sha256 and
 * byteSize). The bytes go to the content-addressed blob store (issue 4's app/modules/blobs), which
 * checks their type by content, with the limits the documents module serves ERP files under; the
 * record is then ingested like any other, as a batch of one.
 */

const ACCEPTED: BlobType[] = ["application/pdf", "application/xml", "image/png", "image/jpeg"];
export async function uploadDocumentFile(request: Request, key: AuthenticatedKey, def: EntityDef): Promise<Response> {
  let form: FormData;
  try {
    const body = await readLimitedBody(request, LIMITS.maxUploadBytes);
    form = await new Response(body, { headers: { "Content-Type": request.headers.get("content-type") ?? "" } }).formData();
  } catch (error) {
    if (error instanceof BodyTooLargeError) return jsonError(413, "payload_too_large", `The upload is larger than ${LIMITS.maxUploadBytes} bytes.`);
    return jsonError(400, "invalid_request", `The multipart body cannot be read: ${(error as Error).message}`);
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) return jsonError(400, "invalid_request", "file is required: the document's bytes as a multipart file part.", { field: "file" });
  const recordText = form.get("record");
  if (typeof recordText !== "string") return jsonError(400, "invalid_request", "record is required: the document-file record as JSON text.", { field: "record" });
  let record: unknown;
  try {
    record = JSON.parse(recordText);
  } catch (error) {
    return jsonError(400, "invalid_json", `record is not valid JSON: ${(error as Error).message}`, { field: "record" });
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return jsonError(400, "invalid_request", "record must be a JSON object.", { field: "record" });
  }
  let stored: { sha256: string; byteSize: number; contentType: string };
  try {
    stored = await getBlobStore().put(new Uint8Array(await file.arrayBuffer()), { allowed: ACCEPTED, maxBytes: ERP_FILE_MAX_BYTES });
  } catch (error) {
    if (error instanceof BlobRejectedError) {
      const status = error.reason === "too_large" ? 413 : 415;
      return jsonError(status, status === 413 ? "payload_too_large" : "unsupported_media_type", `file: ${error.message}`, { field: "file" });
    }
    throw error;
  }
  const fields = record as Record<string, unknown>;
  const name = typeof File !== "undefined" && file instanceof File && file.name ? file.name : null;
  const value = {
    ...fields,
    fileName: fields.fileName ?? name ?? undefined,
    contentType: stored.contentType,
    sha256: stored.sha256,
    byteSize: stored.byteSize,
  };
  const { runId, outcome } = await runApiBatch(key, def, "upsert", [{ value }]);
  return batchResponse(runId, outcome);
}

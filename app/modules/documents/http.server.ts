import type { DocumentFile } from "./invoice-files.server";

/**
 * Responses for document files. Content is addressed by sha256, so it is the ETag; responses are
 * private to the signed-in contact (Vary: Cookie) and may be kept by the browser and the service
 * worker's offline cache (see docs/decisions/010-documents-and-einvoices.md, "Offline").
 */

export function wantsDownload(request: Request): boolean {
  const value = new URL(request.url).searchParams.get("download");
  return value === "1" || value === "true";
}

export function fileResponse(request: Request, file: Pick<DocumentFile, "bytes" | "fileName" | "contentType" | "sha256">, disposition: "inline" | "attachment"): Response {
  const etag = `"${file.sha256}"`;
  const headers = new Headers({
    "Content-Type": file.contentType,
    "Content-Disposition": `${disposition}; filename="${file.fileName.replace(/"/g, "")}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    "Cache-Control": "private, max-age=0, must-revalidate",
    ETag: etag,
    Vary: "Cookie",
    "X-Content-Type-Options": "nosniff",
    "X-Document-Sha256": file.sha256,
  });
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  headers.set("Content-Length", String(file.bytes.byteLength));
  return new Response(new Uint8Array(file.bytes), { status: 200, headers });
}

/** A refusal the client can show: which rules failed, which business terms are missing. */
export function refusalResponse(violations: { rule: string; term: string; message: string }[], format: string): Response {
  return new Response(JSON.stringify({ error: "einvoice_refused", format, violations }, null, 2), {
    status: 422,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

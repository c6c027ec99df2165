import {
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  MaxPartSizeExceededError,
  type UploadHandler,
} from "@remix-run/node";
import { fileTypeFromBuffer } from "file-type";
import { ATTACHMENT_FIELD, ATTACHMENT_TYPES, formatBytes, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, type AttachmentType } from "./limits";

/**
 * Reading the files of an upload form (decision 033). The body is streamed through Remix's multipart
 * parser: text fields through its memory handler (at most 100 kB each), files through ours, which
 * keeps at most MAX_ATTACHMENTS files of at most MAX_ATTACHMENT_BYTES each in memory and only counts
 * the bytes of the rest. So a refused file never throws away the other fields: the form comes back
 * whole, and the refusal is a reason on the `files` field.
 */

const MAX_TEXT_FIELD_BYTES = 100 * 1024;

export interface IncomingFile {
  /** As the browser named it (base name only), before cleaning. */
  fileName: string;
  /** All bytes, or null when the file was over the limit (only its size was counted). */
  bytes: Uint8Array | null;
  byteSize: number;
}

export interface UploadForm {
  /** The text fields, for parseForm. */
  form: FormData;
  /** The files of the `files` field, up to MAX_ATTACHMENTS. */
  files: IncomingFile[];
  /** How many files the form carried in all (more than MAX_ATTACHMENTS: refused). */
  fileCount: number;
}

/** A file that passed every check, with the type its bytes have. */
export interface CheckedAttachment {
  fileName: string;
  mediaType: AttachmentType;
  bytes: Uint8Array;
}

export type AttachmentCheck = { ok: true; files: CheckedAttachment[] } | { ok: false; error: string };

/**
 * The form of a request: multipart (with files) or urlencoded (no files, e.g. a form posted
 * without the file input). A text field over 100 kB answers 413, a body that is no readable
 * multipart form 400.
 */
export async function readUploadForm(request: Request): Promise<UploadForm> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) return { form: await request.formData(), files: [], fileCount: 0 };
  const files: IncomingFile[] = [];
  let fileCount = 0;
  const textHandler = createMemoryUploadHandler({ maxPartSize: MAX_TEXT_FIELD_BYTES });
  const handler: UploadHandler = async (part) => {
    if (part.filename === undefined) return textHandler(part);
    // A file part: the empty file input (no name, no bytes) and other fields' files are read and dropped.
    const keep = part.name === ATTACHMENT_FIELD && part.filename !== "" && files.length < MAX_ATTACHMENTS;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (keep && size <= MAX_ATTACHMENT_BYTES) chunks.push(chunk);
    }
    if (part.name === ATTACHMENT_FIELD && (part.filename !== "" || size > 0)) fileCount += 1;
    if (keep) files.push({ fileName: part.filename, bytes: size <= MAX_ATTACHMENT_BYTES ? Buffer.concat(chunks) : null, byteSize: size });
    return undefined;
  };
  try {
    const form = await parseMultipartFormData(request, handler);
    return { form, files, fileCount };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      throw new Response(`The field ${error.field} is larger than ${MAX_TEXT_FIELD_BYTES} bytes.`, { status: 413 });
    }
    // No boundary, a cut-off or malformed body: the client's fault, not ours.
    throw new Response(`The form could not be read: ${(error as Error).message}`, { status: 400 });
  }
}

/** A file name safe to store and to send back: base name, no control or reserved characters, ≤ 255 characters with its extension. */
export function cleanFileName(name: string): string {
  const base = (name.split(/[/\\]/).pop() ?? "").normalize("NFC");
  // eslint-disable-next-line no-control-regex
  let clean = base.replace(/[\u0000-\u001f\u007f-\u009f"<>|:*?]/g, "_").replace(/^[.\s]+/, "").trim();
  if (clean.length > 255) {
    const dot = clean.lastIndexOf(".");
    const extension = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : "";
    clean = clean.slice(0, 255 - extension.length) + extension;
  }
  return clean || "attachment";
}

function extensionOf(fileName: string): string | null {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : null;
}

/** Text, not a binary format: no control bytes but tab, line feed, form feed and carriage return (UTF-8 or Windows-1252 both pass). */
function looksLikeText(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

const TYPE_WORDS: Record<string, string> = {
  "image/jpeg": "a JPEG image", "image/png": "a PNG image", "image/webp": "a WebP image", "image/heic": "a HEIC image", "image/heif": "a HEIF image",
  "application/pdf": "a PDF", "text/plain": "plain text", "text/csv": "CSV text",
};

const ACCEPTED = "images (JPEG, PNG, WebP, HEIC), PDF, plain text or CSV";

/** The type the bytes are, sniffed by `file-type` (text has no magic number: checked byte by byte); a reason when it is not accepted. */
async function sniff(fileName: string, bytes: Uint8Array): Promise<{ type: AttachmentType } | { reason: string }> {
  const found = await fileTypeFromBuffer(bytes);
  const extension = extensionOf(fileName);
  let type: AttachmentType;
  if (found) {
    if (!(found.mime in ATTACHMENT_TYPES)) return { reason: `"${fileName}" is not accepted: its content is ${found.mime} (.${found.ext}), not one of ${ACCEPTED}` };
    type = found.mime as AttachmentType;
  } else if (looksLikeText(bytes)) {
    type = extension === "csv" ? "text/csv" : "text/plain";
  } else {
    return { reason: `"${fileName}" is not accepted: its content is none of ${ACCEPTED}` };
  }
  const extensions: readonly string[] = ATTACHMENT_TYPES[type];
  if (extension !== null && !extensions.includes(extension)) {
    return { reason: `"${fileName}" is named .${extension} but its content is ${TYPE_WORDS[type]}` };
  }
  return { type };
}

/**
 * Checks the files of a form: at most MAX_ATTACHMENTS, each non-empty, at most MAX_ATTACHMENT_BYTES,
 * of an accepted type by its content, with a name that does not claim another type. Every refused
 * file is named with its reason, in one message for the `files` field.
 */
export async function checkAttachments(upload: Pick<UploadForm, "files" | "fileCount">): Promise<AttachmentCheck> {
  if (upload.fileCount > MAX_ATTACHMENTS) return { ok: false, error: `must be at most ${MAX_ATTACHMENTS} files (${upload.fileCount} were chosen)` };
  const reasons: string[] = [];
  const files: CheckedAttachment[] = [];
  for (const file of upload.files) {
    const fileName = cleanFileName(file.fileName);
    if (!file.bytes) {
      reasons.push(`"${fileName}" is ${formatBytes(file.byteSize)}; the limit is ${formatBytes(MAX_ATTACHMENT_BYTES)} per file`);
      continue;
    }
    if (file.byteSize === 0) {
      reasons.push(`"${fileName}" is empty`);
      continue;
    }
    const sniffed = await sniff(fileName, file.bytes);
    if ("reason" in sniffed) reasons.push(sniffed.reason);
    else files.push({ fileName, mediaType: sniffed.type, bytes: file.bytes });
  }
  if (reasons.length > 0) return { ok: false, error: reasons.join("; ") };
  return { ok: true, files };
}

/**
 * An upload form read and checked in one step, for the actions: the text fields, the accepted files,
 * and the reason on `files` when one was refused.
 */
export async function readFormWithAttachments(request: Request): Promise<{ form: FormData; files: CheckedAttachment[]; fileError: string | null }> {
  const upload = await readUploadForm(request);
  const checked = await checkAttachments(upload);
  return checked.ok ? { form: upload.form, files: checked.files, fileError: null } : { form: upload.form, files: [], fileError: checked.error };
}

/**
 * A form's refusal with its files' in one answer: every wrong field named at once (the files' reason
 * under `files`), and the typed values to show again. null: the form and its files are fine.
 */
export function refusalOf(
  parsed: { ok: true; values: Record<string, string> } | { ok: false; fieldErrors: Record<string, string>; values: Record<string, string> },
  fileError: string | null,
): { ok: false; fieldErrors: Record<string, string>; values: Record<string, string> } | null {
  if (parsed.ok && !fileError) return null;
  const fieldErrors = { ...(parsed.ok ? {} : parsed.fieldErrors), ...(fileError ? { [ATTACHMENT_FIELD]: fileError } : {}) };
  return { ok: false, fieldErrors, values: parsed.values };
}

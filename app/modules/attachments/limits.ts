/**
 * What may be attached to a ticket message or a return request (decision 033); shared by the
 * server's checks and the forms' hints. The type is the one sniffed from the bytes, never the
 * name's or the browser's word.
 */

/** The form field every upload form uses (`<input type="file" name="files" multiple>`). */
export const ATTACHMENT_FIELD = "files";
export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Media types accepted, with the file name extensions that may carry them. */
export const ATTACHMENT_TYPES = {
  "image/jpeg": ["jpg", "jpeg", "jfif"],
  "image/png": ["png"],
  "image/webp": ["webp"],
  "image/heic": ["heic", "heif"],
  "image/heif": ["heic", "heif"],
  "application/pdf": ["pdf"],
  "text/plain": ["txt", "text", "log"],
  "text/csv": ["csv", "txt"],
} as const satisfies Record<string, readonly string[]>;

export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

/** The `accept` attribute of the file inputs (a hint for the picker; the server decides). */
export const ATTACHMENT_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif,application/pdf,text/plain,text/csv,.csv,.txt";

/** Images a browser shows by itself: served inline and shown as thumbnails. HEIC is downloaded. */
export const INLINE_IMAGE_TYPES: readonly string[] = ["image/jpeg", "image/png", "image/webp"];

/** What a contact or staff member sees of an attachment (also the webhook's metadata, without the uploader). */
export interface AttachmentMeta {
  id: string;
  fileName: string;
  mediaType: string;
  byteSize: number;
  fromSupplier: boolean;
  uploadedBy: string | null;
  createdAt: Date | string;
}

/** A short label of the type for the badge beside the name. */
export function attachmentKind(mediaType: string): string {
  if (mediaType === "application/pdf") return "PDF";
  if (mediaType === "text/csv") return "CSV";
  if (mediaType === "text/plain") return "TXT";
  if (mediaType === "image/jpeg") return "JPEG";
  if (mediaType === "image/heic" || mediaType === "image/heif") return "HEIC";
  return mediaType.replace(/^image\//, "").toUpperCase();
}

/** "1.4 MB", "820 kB", "312 B" (German: "1,4 MB"); file sizes in the thread and in reasons. */
export function formatBytes(bytes: number, lang: "en" | "de" = "en"): string {
  const text = bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} kB` : `${bytes} B`;
  return lang === "de" ? text.replace(".", ",") : text;
}

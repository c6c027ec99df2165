import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { getConfig } from "~/config.server";

/**
 * Content-addressed file store: bytes live under their sha256 (`<root>/ab/cd/<sha256>`), written
 * once through a temporary file and a rename, so a reader never sees half a file and the same
 * content is kept once. Every put is size-limited and type-checked against the file's own magic
 * bytes, not the name or the sender's word. The filesystem under DATA_DIR is the default; the
 * interface is small enough for an object store to implement later.
 */

export const BLOB_TYPES = ["application/pdf", "application/xml", "image/png", "image/jpeg", "application/zip"] as const;
export type BlobType = (typeof BLOB_TYPES)[number];

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export class BlobRejectedError extends Error {
  constructor(
    readonly reason: "too_large" | "wrong_type" | "unknown_type",
    message: string,
  ) {
    super(message);
    this.name = "BlobRejectedError";
  }
}

export interface StoredBlob {
  sha256: string;
  byteSize: number;
  contentType: BlobType;
}

/** The type a file's first bytes say it is, or null. */
export function sniffType(head: Uint8Array): BlobType | null {
  const ascii = Buffer.from(head.subarray(0, 64)).toString("latin1");
  if (ascii.startsWith("%PDF-")) return "application/pdf";
  if (head[0] === 0x89 && ascii.slice(1, 4) === "PNG") return "image/png";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (ascii.startsWith("PK\x03\x04")) return "application/zip";
  const text = ascii.replace(/^\uFEFF|^\xEF\xBB\xBF/, "").trimStart();
  if (text.startsWith("<?xml") || /^<[A-Za-z]/.test(text)) return "application/xml";
  return null;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class BlobStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Stores `bytes` if they are of an allowed type and within the size limit; returns their address. */
  async put(bytes: Uint8Array, options: { contentType?: BlobType; allowed?: readonly BlobType[]; maxBytes?: number } = {}): Promise<StoredBlob> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (bytes.byteLength > maxBytes) throw new BlobRejectedError("too_large", `File of ${bytes.byteLength} bytes exceeds the limit of ${maxBytes} bytes.`);
    const sniffed = sniffType(bytes);
    if (!sniffed) throw new BlobRejectedError("unknown_type", "The file is none of the accepted types (PDF, XML, PNG, JPEG, ZIP).");
    const allowed = options.allowed ?? BLOB_TYPES;
    if (!allowed.includes(sniffed)) throw new BlobRejectedError("wrong_type", `A ${sniffed} file is not accepted here (accepted: ${allowed.join(", ")}).`);
    if (options.contentType && options.contentType !== sniffed) {
      throw new BlobRejectedError("wrong_type", `The file was declared as ${options.contentType} but its content is ${sniffed}.`);
    }
    return { sha256: await this.write(bytes), byteSize: bytes.byteLength, contentType: sniffed };
  }

  /**
   * Stores bytes whose type and size the caller has already checked (attachments, which accept other
   * types than the ERP's documents and sniff them with `file-type`); returns their sha256.
   */
  async write(bytes: Uint8Array): Promise<string> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const target = this.pathOf(sha256);
    if (!(await exists(target))) {
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temp, bytes, { flag: "wx" });
      await rename(temp, target);
    }
    return sha256;
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  /** The bytes under `sha256`, verified against their address; null when the store has none. */
  async read(sha256: string): Promise<Buffer | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    if (createHash("sha256").update(bytes).digest("hex") !== sha256) {
      throw new Error(`blob ${sha256} is corrupt on disk (${this.pathOf(sha256)}): its content no longer matches its hash`);
    }
    return bytes;
  }

  /** A stream of the bytes (large files, ZIP entries); null when the store has none. */
  async stream(sha256: string): Promise<{ stream: Readable; byteSize: number } | null> {
    const file = this.pathOf(sha256);
    try {
      const info = await stat(file);
      return { stream: createReadStream(file), byteSize: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  /** The first bytes of a stored blob (type checks of ERP files). */
  async head(sha256: string, length = 64): Promise<Uint8Array | null> {
    try {
      const handle = await open(this.pathOf(sha256), "r");
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async remove(sha256: string): Promise<void> {
    await unlink(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

let store: BlobStore | undefined;

/** The portal's blob store under DATA_DIR/blobs. */
export function getBlobStore(): BlobStore {
  store ??= new BlobStore(path.join(getConfig().dataDir, "blobs"));
  return store;
}

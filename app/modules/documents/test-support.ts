import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";

/** Test helpers: poppler's pdftotext / pdffonts on PDF bytes, and a minimal ZIP reader. */

function withTempFile<T>(bytes: Uint8Array, fn: (file: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ll-pdf-"));
  const file = path.join(dir, "doc.pdf");
  writeFileSync(file, bytes);
  try {
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(bytes: Uint8Array): string {
  return withTempFile(bytes, (file) => execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }));
}

/** A word as pdftotext -bbox-layout places it: page (0-based) and box in PDF points from the top left. */
export interface PdfWord {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word of the PDF with its box. Two words drawn over each other come out as one word or as overlapping boxes. */
export function pdfWords(bytes: Uint8Array): PdfWord[] {
  const html = withTempFile(bytes, (file) => execFileSync("pdftotext", ["-bbox-layout", file, "-"], { encoding: "utf8" }));
  const words: PdfWord[] = [];
  for (const [i, page] of html.split("<page ").slice(1).entries()) {
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      words.push({ page: i, text: unescapeXml(m[5]), xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) });
    }
  }
  return words;
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
}

export function pdfFonts(bytes: Uint8Array): PdfFont[] {
  const out = withTempFile(bytes, (file) => execFileSync("pdffonts", [file], { encoding: "utf8" }));
  return out
    .split("\n")
    .slice(2)
    .filter((l) => l.trim())
    .map((line) => {
      // name type... encoding emb sub uni object ID: the yes/no columns are fixed from the right.
      const parts = line.trim().split(/\s+/);
      const [emb] = parts.slice(-5, -4);
      return { name: parts[0], type: parts.slice(1, -6).join(" "), embedded: emb === "yes" };
    });
}

export function pdfPageCount(bytes: Uint8Array): number {
  const info = withTempFile(bytes, (file) => execFileSync("pdfinfo", [file], { encoding: "utf8" }));
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
}

export interface ZipEntry {
  name: string;
  data: Buffer;
  method: number;
}

/** Reads every entry of a ZIP through its central directory (stored and deflated entries). */
export function readZip(zip: Buffer): ZipEntry[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd -= 1;
  if (eocd < 0) throw new Error("not a ZIP: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error("bad central directory header");
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    const localNameLength = zip.readUInt16LE(local + 26);
    const localExtraLength = zip.readUInt16LE(local + 28);
    const start = local + 30 + localNameLength + localExtraLength;
    const raw = zip.subarray(start, start + compressedSize);
    entries.push({ name, method, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

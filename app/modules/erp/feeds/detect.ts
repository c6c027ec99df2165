import iconv from "iconv-lite";

/**
 * What a CSV file is written in, from its first bytes: UTF-8 with a byte order mark, UTF-8, or
 * Windows-1252 (what German Excel and most ERP exports on Windows write) when the bytes are not
 * valid UTF-8; and which delimiter its header line uses.
 */

export type Encoding = "utf-8" | "windows-1252";

export interface Detected {
  encoding: Encoding;
  bom: boolean;
  delimiter: string;
}

const BOM = [0xef, 0xbb, 0xbf];

function isValidUtf8(bytes: Uint8Array): boolean {
  // A sample may end inside a multi-byte character: drop an incomplete tail before checking.
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

const CANDIDATES = [";", ",", "\t", "|"];

/** The candidate that splits the header line into the most fields (quotes respected). */
export function detectDelimiter(headerLine: string): string {
  let best = ",";
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    let count = 0;
    let quoted = false;
    for (const ch of headerLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === candidate && !quoted) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

export function detectFormat(head: Uint8Array, overrides: { encoding?: Encoding; delimiter?: string } = {}): Detected {
  const bom = head.length >= 3 && BOM.every((b, i) => head[i] === b);
  const encoding: Encoding = overrides.encoding ?? (bom || isValidUtf8(head) ? "utf-8" : "windows-1252");
  const text = iconv.decode(Buffer.from(head), encoding === "utf-8" ? "utf8" : "win1252", { stripBOM: true });
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  return { encoding, bom, delimiter: overrides.delimiter ?? detectDelimiter(firstLine) };
}

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Font } from "@react-pdf/renderer";

/**
 * The files every PDF needs, vendored in this folder so rendering never depends on the machine:
 * DejaVu Sans TTF (embedded as subsets: the standard-14 fonts are never embedded and break PDF/A;
 * WOFF2 crashes fontkit) and the sRGB ICC profile of the PDF/A OutputIntent. Licenses beside them.
 */

// Sources run from app/modules/pdf; the server build (build/index.js) runs from the repository root.
const CANDIDATES = [
  (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url)),
  (name: string) => path.resolve(process.cwd(), "app/modules/pdf", name),
];

export function pdfAssetPath(name: string): string {
  for (const candidate of CANDIDATES) {
    let file: string;
    try {
      file = candidate(name);
    } catch {
      continue;
    }
    if (existsSync(file)) return file;
  }
  throw new Error(
    `PDF asset ${name} not found (looked in app/modules/pdf beside the module and under ${process.cwd()}). ` +
      "Run the portal from the repository root, where app/modules/pdf/fonts and assets are.",
  );
}

export const FONT_FAMILY = "DejaVuSans";
let registered = false;

/** Registers the embedded fonts with react-pdf once per process; no hyphenation (numbers and SKUs must not break). */
export function registerPdfFonts(): void {
  if (registered) return;
  Font.register({
    family: FONT_FAMILY,
    fonts: [
      { src: pdfAssetPath("fonts/DejaVuSans.ttf"), fontWeight: 400 },
      { src: pdfAssetPath("fonts/DejaVuSans-Bold.ttf"), fontWeight: 700 },
    ],
  });
  Font.registerHyphenationCallback((word) => [word]);
  registered = true;
}

let prepared: Promise<void> | undefined;

interface FontkitFont {
  name?: { records?: object };
  layout: (text: string, features?: unknown, script?: unknown, language?: unknown, direction?: unknown) => unknown;
}

/**
 * Loads the fonts once and takes two per-text-run costs out of rendering (measured with a CPU
 * profile of 1-page invoices, see bench/documents.bench.ts):
 * - pdfkit compares a run's font with the document's by JSON-serialising the font's whole `name`
 *   table (DejaVu's holds its full license text) twice per run. The table gets a `toJSON` that
 *   returns the SHA-256 of its serialisation: equal tables still compare equal, different ones
 *   unequal, and a comparison costs two short strings.
 * - fontkit shapes every text run anew (GSUB/GPOS lookups), though invoices repeat the same
 *   labels, units and numbers. Shaping depends only on the text and the features, so results are
 *   memoised per font. react-pdf copies the positions it scales and only ever replaces a glyph in
 *   a run for an inline attachment (U+FFFC), which is never memoised.
 */
export function preparePdfFonts(): Promise<void> {
  registerPdfFonts();
  prepared ??= (async () => {
    for (const fontWeight of [400, 700]) {
      const descriptor = { fontFamily: FONT_FAMILY, fontWeight, fontStyle: "normal" as const };
      await Font.load(descriptor);
      const font = (Font.getFont(descriptor) as unknown as { data: FontkitFont | null }).data;
      if (!font) throw new Error(`the PDF font ${FONT_FAMILY} ${fontWeight} did not load`);
      const records = font.name?.records;
      if (records && !Object.prototype.hasOwnProperty.call(records, "toJSON")) {
        const digest = createHash("sha256").update(JSON.stringify(records)).digest("hex");
        Object.defineProperty(records, "toJSON", { value: () => digest, enumerable: false });
      }
      memoiseLayout(font);
    }
  })();
  return prepared;
}

/**
 * Runs kept per font. Labels, units and the seller's lines repeat in every document; amounts,
 * numbers and addresses mostly do not. 20,000 runs held ~25 MB per worker after a 1,000-invoice ZIP
 * (decision 011); least recently used runs go first, so the repeating ones stay.
 */
export const MAX_MEMOISED_RUNS = 2_000;

function memoiseLayout(font: FontkitFont): void {
  const layout = font.layout.bind(font);
  const runs = new Map<string, unknown>();
  font.layout = (text, features, script, language, direction) => {
    if (text.includes("\uFFFC") || script !== undefined || language !== undefined) return layout(text, features, script, language, direction);
    const key = `${String(direction)}|${features === undefined ? "" : JSON.stringify(features)}|${text}`;
    let run = runs.get(key);
    if (run === undefined) {
      run = layout(text, features, script, language, direction);
      if (runs.size >= MAX_MEMOISED_RUNS) runs.delete(runs.keys().next().value!);
    } else {
      // Most recently used last: a Map iterates in insertion order, so its first key is the least recently used.
      runs.delete(key);
    }
    runs.set(key, run);
    return run;
  };
}

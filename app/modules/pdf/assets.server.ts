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

/**
 * Loads the fonts once and takes a per-text-run cost out of pdfkit: for every run it compares the
 * run's font with the document's by JSON-serialising the font's whole `name` table (DejaVu's holds
 * its full license text). The table is given a precomputed serialisation, so the comparison (same
 * font object, same result) stays exact and costs nothing. A 1-page invoice renders ~2× faster.
 */
export function preparePdfFonts(): Promise<void> {
  registerPdfFonts();
  prepared ??= (async () => {
    for (const fontWeight of [400, 700]) {
      const descriptor = { fontFamily: FONT_FAMILY, fontWeight, fontStyle: "normal" as const };
      await Font.load(descriptor);
      const font = (Font.getFont(descriptor) as unknown as { data: { name?: { records?: object } } | null }).data;
      const records = font?.name?.records;
      if (records && !Object.prototype.hasOwnProperty.call(records, "toJSON")) {
        const serialised = JSON.stringify(records);
        Object.defineProperty(records, "toJSON", { value: () => serialised, enumerable: false });
      }
    }
  })();
  return prepared;
}

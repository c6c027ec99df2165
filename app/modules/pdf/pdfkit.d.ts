/**
 * The part of pdfkit (a dependency of @react-pdf/renderer, without types of its own) that
 * render.server.tsx and pdfa.server.ts use: the document react-pdf draws into.
 */
declare module "pdfkit" {
  import type { Readable } from "node:stream";

  export interface PdfKitReference {
    data: Record<string, unknown>;
    compress: boolean;
    end(chunk?: Uint8Array): void;
  }

  export interface PdfKitDocument extends Readable {
    _root: PdfKitReference;
    ref(data: Record<string, unknown>): PdfKitReference;
    addNamedEmbeddedFile(name: string, ref: PdfKitReference): void;
    /** Called by end(): writes the XMP metadata stream. */
    endMetadata(): void;
  }

  const PDFDocument: new (options: Record<string, unknown>) => PdfKitDocument;
  export default PDFDocument;
}

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import type { PdfKitDocument } from "pdfkit";
import { pdfAssetPath } from "./assets.server";

/**
 * Makes the PDF that pdfkit writes for react-pdf a PDF/A-3b, while it is written (no second pass
 * that parses and re-serialises the file): XMP metadata that matches the document information
 * dictionary (pdfaid part 3, conformance B), an sRGB OutputIntent with the embedded ICC profile,
 * and — for ZUGFeRD / Factur-X — the invoice XML as an associated file (/AF, /AFRelationship) with
 * the Factur-X extension schema declared in pdfaExtension. Fonts are embedded by the renderer
 * (TTF subsets, see assets.server.ts); the trailer /ID is pdfkit's, a hash of the information
 * dictionary, so one document version always gives the same bytes.
 */

export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  language: "en" | "de";
  /** Fixed per document version, so the same version renders to the same bytes. */
  createdAt: Date;
}

export interface FacturXAttachment {
  fileName: "factur-x.xml" | "xrechnung.xml";
  xml: string;
  /** fx:ConformanceLevel of Factur-X 1.07 / ZUGFeRD 2.3. */
  conformanceLevel: "EN 16931" | "XRECHNUNG";
}

export const PRODUCER = "Ledgerlight (react-pdf, pdfkit)";

/** The pdfkit options that go with PDF/A: version 1.7, language, title shown, the information dictionary. */
export function pdfAOptions(meta: PdfMetadata): Record<string, unknown> {
  return {
    compress: true,
    pdfVersion: "1.7",
    lang: pdfLanguage(meta),
    displayTitle: true,
    autoFirstPage: false,
    // No default font: pdfkit would parse Helvetica's metrics for every document, and react-pdf sets DejaVu per text run.
    font: null,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Keywords: meta.keywords.join(" "),
      Creator: PRODUCER,
      Producer: PRODUCER,
      CreationDate: meta.createdAt,
      ModDate: meta.createdAt,
    },
  };
}

const pdfLanguage = (meta: PdfMetadata) => (meta.language === "de" ? "de-DE" : "en-GB");

let iccDeflated: Buffer | undefined;

/**
 * Installs the PDF/A parts on a pdfkit document before it is ended: pdfkit writes its own XMP in
 * endMetadata (without escaping, without the pdfaid or Factur-X schemas), so that step writes ours.
 */
export function preparePdfA(doc: PdfKitDocument, meta: PdfMetadata, attachment?: FacturXAttachment): void {
  doc.endMetadata = () => {
    const metadata = doc.ref({ Type: "Metadata", Subtype: "XML" });
    metadata.compress = false;
    metadata.end(xmp(meta, attachment));
    doc._root.data.Metadata = metadata;

    iccDeflated ??= deflateSync(readFileSync(pdfAssetPath("assets/sRGB.icc")));
    const icc = doc.ref({ N: 3, Filter: "FlateDecode" });
    icc.end(iccDeflated);
    const intent = doc.ref({
      Type: "OutputIntent",
      S: "GTS_PDFA1",
      OutputConditionIdentifier: new String("sRGB IEC61966-2.1"),
      Info: new String("sRGB IEC61966-2.1"),
      DestOutputProfile: icc,
    });
    intent.end();
    doc._root.data.OutputIntents = [intent];

    if (attachment) embedXml(doc, meta, attachment);
  };
}

function embedXml(doc: PdfKitDocument, meta: PdfMetadata, attachment: FacturXAttachment): void {
  const bytes = new TextEncoder().encode(attachment.xml);
  const file = doc.ref({
    Type: "EmbeddedFile",
    // The MIME type as a name: text/xml with its slash escaped.
    Subtype: "text#2Fxml",
    Params: { Size: bytes.byteLength, ModDate: meta.createdAt, CheckSum: createHash("md5").update(bytes).digest() },
  });
  file.end(bytes);
  const spec = doc.ref({
    Type: "Filespec",
    F: new String(attachment.fileName),
    UF: new String(attachment.fileName),
    EF: { F: file, UF: file },
    Desc: new String("Factur-X/ZUGFeRD invoice"),
    AFRelationship: "Alternative",
  });
  spec.end();
  doc.addNamedEmbeddedFile(attachment.fileName, spec);
  doc._root.data.AF = [spec];
}

const escapeXml = (value: string) =>
  value.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

const xmpDate = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

function facturXExtension(attachment: FacturXAttachment): string {
  const property = (name: string, description: string) => `
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;
  return `
    <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>${property("DocumentFileName", "The name of the embedded XML document")}${property("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER")}${property("Version", "The actual version of the standard applying to the embedded XML document")}${property("ConformanceLevel", "The conformance level of the embedded XML document")}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>${attachment.fileName}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>${attachment.conformanceLevel}</fx:ConformanceLevel>
    </rdf:Description>`;
}

function xmp(meta: PdfMetadata, attachment?: FacturXAttachment): Uint8Array {
  const lang = pdfLanguage(meta);
  const text = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.title)}</rdf:li></rdf:Alt></dc:title>
      <dc:creator><rdf:Seq><rdf:li>${escapeXml(meta.author)}</rdf:li></rdf:Seq></dc:creator>
      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.subject)}</rdf:li></rdf:Alt></dc:description>
      <dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreatorTool>${escapeXml(PRODUCER)}</xmp:CreatorTool>
      <xmp:CreateDate>${xmpDate(meta.createdAt)}</xmp:CreateDate>
      <xmp:ModifyDate>${xmpDate(meta.createdAt)}</xmp:ModifyDate>
      <xmp:MetadataDate>${xmpDate(meta.createdAt)}</xmp:MetadataDate>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>${escapeXml(PRODUCER)}</pdf:Producer>
      <pdf:Keywords>${escapeXml(meta.keywords.join(" "))}</pdf:Keywords>
    </rdf:Description>${attachment ? facturXExtension(attachment) : ""}
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
  return new TextEncoder().encode(text);
}

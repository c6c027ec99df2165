import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFRef } from "pdf-lib";
import { pdfAssetPath } from "./assets.server";

/**
 * Turns react-pdf's output into PDF/A-3b: XMP metadata that matches the document information
 * dictionary (pdfaid part 3, conformance B), an sRGB OutputIntent with the embedded ICC profile,
 * and — for ZUGFeRD / Factur-X — the invoice XML as an associated file (/AF, /AFRelationship) with
 * the Factur-X extension schema declared in pdfaExtension. Fonts are embedded by the renderer
 * (TTF subsets, see assets.server.ts).
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

export const PRODUCER = "Ledgerlight (react-pdf, pdf-lib)";
let iccProfile: Buffer | undefined;

export async function finalizePdfA(pdf: Uint8Array, meta: PdfMetadata, attachment?: FacturXAttachment): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const ctx = doc.context;
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  doc.setKeywords(meta.keywords);
  doc.setCreator(PRODUCER);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(meta.createdAt);
  doc.setModificationDate(meta.createdAt);
  doc.setLanguage(meta.language === "de" ? "de-DE" : "en-GB");

  const catalog = doc.catalog;
  const metadata = ctx.stream(xmp(meta, attachment), { Type: "Metadata", Subtype: "XML" });
  catalog.set(PDFName.of("Metadata"), ctx.register(metadata));

  iccProfile ??= readFileSync(pdfAssetPath("assets/sRGB.icc"));
  const icc = ctx.register(ctx.flateStream(iccProfile, { N: 3 }));
  const intent = ctx.obj({
    Type: "OutputIntent",
    S: "GTS_PDFA1",
    OutputConditionIdentifier: PDFString.of("sRGB IEC61966-2.1"),
    Info: PDFString.of("sRGB IEC61966-2.1"),
    DestOutputProfile: icc,
  });
  catalog.set(PDFName.of("OutputIntents"), ctx.obj([ctx.register(intent)]));

  if (attachment) {
    const bytes = new TextEncoder().encode(attachment.xml);
    const date = PDFString.fromDate(meta.createdAt);
    const file = ctx.register(
      ctx.flateStream(bytes, {
        Type: "EmbeddedFile",
        Subtype: "text/xml",
        Params: { Size: bytes.byteLength, ModDate: date, CheckSum: PDFHexString.of(createHash("md5").update(bytes).digest("hex")) },
      }),
    );
    const spec: PDFRef = ctx.register(
      ctx.obj({
        Type: "Filespec",
        F: PDFString.of(attachment.fileName),
        UF: PDFHexString.fromText(attachment.fileName),
        EF: { F: file, UF: file },
        Desc: PDFString.of("Factur-X/ZUGFeRD invoice"),
        AFRelationship: "Alternative",
      }),
    );
    const names = (catalog.lookupMaybe(PDFName.of("Names"), PDFDict) as PDFDict | undefined) ?? ctx.obj({});
    names.set(PDFName.of("EmbeddedFiles"), ctx.obj({ Names: [PDFString.of(attachment.fileName), spec] }));
    if (!catalog.has(PDFName.of("Names"))) catalog.set(PDFName.of("Names"), ctx.register(names));
    catalog.set(PDFName.of("AF"), ctx.obj([spec]));
  }

  // PDF/A needs a file identifier in the trailer; derive it from the content so renders are repeatable.
  if (!ctx.trailerInfo.ID) {
    const id = createHash("md5").update(pdf).update(attachment?.xml ?? "").digest("hex");
    ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)]) as PDFArray;
  }
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
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
  const lang = meta.language === "de" ? "de-DE" : "en-GB";
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

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { create } from "xmlbuilder2";
import { validateXML } from "xmllint-wasm";

/**
 * Test helpers: validation of CII against the official Factur-X 1.07.3 EN 16931 XSD (vendored in
 * schemas/, run through libxml2 compiled to WebAssembly), and a small DOM walker for XML checks.
 */

const XSD_DIR = path.resolve("app/modules/einvoice/schemas/factur-x-1.07.3-en16931");
const MAIN = "Factur-X_1.07.3_EN16931.xsd";
let schema: { main: { fileName: string; contents: string }; preload: { fileName: string; contents: string }[] } | undefined;

export async function validateCiiSchema(xml: string): Promise<string[]> {
  schema ??= {
    main: { fileName: MAIN, contents: readFileSync(path.join(XSD_DIR, MAIN), "utf8") },
    preload: readdirSync(XSD_DIR)
      .filter((f) => f.endsWith(".xsd") && f !== MAIN)
      .map((f) => ({ fileName: f, contents: readFileSync(path.join(XSD_DIR, f), "utf8") })),
  };
  const result = await validateXML({ xml: [{ fileName: "invoice.xml", contents: xml }], schema: [schema.main], preload: schema.preload });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

export interface XmlElement {
  localName: string;
  namespaceURI: string | null;
  textContent: string | null;
  nodeType: number;
  childNodes: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
}

export function parseXml(xml: string): XmlElement {
  return create(xml).root().node as unknown as XmlElement;
}

/** Elements matched by a path of local names ("TaxTotal/TaxSubtotal/TaxAmount"), from `root`'s children down. */
export function all(root: XmlElement, pathText: string): XmlElement[] {
  let current = [root];
  for (const step of pathText.split("/")) {
    current = current.flatMap((el) => Array.from(el.childNodes).filter((c) => c.nodeType === 1 && c.localName === step));
  }
  return current;
}

export function text(root: XmlElement, pathText: string): string | null {
  return all(root, pathText)[0]?.textContent ?? null;
}

export const toCents = (value: string | null) => Math.round(Number(value) * 100);

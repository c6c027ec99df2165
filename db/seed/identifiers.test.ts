import { describe, expect, it } from "vitest";
import { frenchVatId, germanIban, germanVatId, isValidGermanVatId, isValidIban, isValidLeitwegId, leitwegId, mod11_10, mod97 } from "./identifiers";
import { Rng } from "./random";

describe("identifiers", () => {
  it("builds IBANs with correct check digits", () => {
    // The textbook example of a German IBAN.
    expect(germanIban("37040044", "532013000")).toBe("DE89370400440532013000");
    expect(isValidIban("DE89 3704 0044 0532 0130 00")).toBe(true);
    expect(isValidIban("DE88370400440532013000")).toBe(false);
  });

  it("builds German VAT ids with the ISO 7064 MOD 11,10 check digit", () => {
    expect(mod11_10("13669597")).toBe(6); // DE136695976, the example of the BZSt
    expect(isValidGermanVatId("DE136695976")).toBe(true);
    expect(isValidGermanVatId("DE136695975")).toBe(false);
    const rng = new Rng("vat");
    for (let i = 0; i < 200; i++) expect(isValidGermanVatId(germanVatId(rng))).toBe(true);
  });

  it("builds French VAT ids whose key matches the SIREN", () => {
    const id = frenchVatId(new Rng("fr"));
    const siren = Number(id.slice(4));
    expect(Number(id.slice(2, 4))).toBe((12 + 3 * (siren % 97)) % 97);
  });

  it("builds Leitweg-IDs with MOD 97-10 check digits", () => {
    const id = leitwegId("04011000", "12345");
    expect(id).toMatch(/^04011000-12345-\d{2}$/);
    expect(isValidLeitwegId(id)).toBe(true);
    expect(mod97(id.replace(/-/g, ""))).toBe(1);
    expect(isValidLeitwegId("04011000-12345-00")).toBe(id.endsWith("-00"));
  });
});

describe("Rng", () => {
  it("repeats its sequence for the same label and differs for another", () => {
    const a = new Rng("x");
    const b = new Rng("x");
    const c = new Rng("y");
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it("makes version-4 shaped uuids", () => {
    const rng = new Rng("uuid");
    for (let i = 0; i < 50; i++) expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

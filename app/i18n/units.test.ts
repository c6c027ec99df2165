import { describe, expect, it } from "vitest";
import { formatQuantity, unitLabel } from "./units";

describe("unit labels", () => {
  it("shows a known code in the contact's language", () => {
    expect(unitLabel("en", "C62", 30)).toBe("pcs");
    expect(unitLabel("de", "C62", 30)).toBe("Stk.");
    expect(unitLabel("en", "HUR", "2.5")).toBe("h");
    expect(unitLabel("de", "HUR", "2.5")).toBe("Std.");
    expect(unitLabel("en", "XPX", 3)).toBe("pallets");
    expect(unitLabel("de", "XPX", 3)).toBe("Paletten");
  });

  it("uses the singular after exactly one, also when the ERP writes 1.000", () => {
    expect(unitLabel("en", "DAY", "1.000")).toBe("day");
    expect(unitLabel("de", "DAY", 1)).toBe("Tag");
    expect(unitLabel("en", "DAY", "1.5")).toBe("days");
    expect(unitLabel("de", "SET", 2)).toBe("Sätze");
    expect(unitLabel("en", "DAY")).toBe("days");
  });

  it("falls back to the code itself for an unknown code, never to a blank", () => {
    expect(unitLabel("en", "ZZZ", 4)).toBe("ZZZ");
    expect(unitLabel("de", "ZZZ", 4)).toBe("ZZZ");
    expect(unitLabel("de", "", 4)).toBe("");
    expect(formatQuantity("de", "4", "ZZZ")).toBe("4 ZZZ");
  });

  it("formats the quantity with the label the way the documents print it", () => {
    expect(formatQuantity("en", "30", "C62")).toBe("30 pcs");
    expect(formatQuantity("de", "30", "C62")).toBe("30 Stk.");
    expect(formatQuantity("de", "12.345", "MTR")).toBe("12,345 m");
    expect(formatQuantity("en", "1", "C62")).toBe("1 pc");
    expect(formatQuantity("en", "2", null)).toBe("2");
  });
});

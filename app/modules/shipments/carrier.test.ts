import { describe, expect, it } from "vitest";
import { describeCarrier } from "./carrier";

describe("describeCarrier", () => {
  it("drops the carrier when the service already names it", () => {
    expect(describeCarrier("DHL", "DHL Paket")).toBe("DHL Paket");
    expect(describeCarrier("DB Schenker", "DB SCHENKERsystem (pallet)")).toBe("DB SCHENKERsystem (pallet)");
    expect(describeCarrier("Kuehne+Nagel", "KN Sea Freight LCL")).toBe("KN Sea Freight LCL");
    expect(describeCarrier("UPS", "ups standard")).toBe("ups standard");
  });

  it("keeps both when the service does not name the carrier", () => {
    expect(describeCarrier("DPD", "Classic")).toBe("DPD · Classic");
    expect(describeCarrier("Kuehne+Nagel", "Knapp Express")).toBe("Kuehne+Nagel · Knapp Express");
  });

  it("shows whichever is known", () => {
    expect(describeCarrier("DPD", null)).toBe("DPD");
    expect(describeCarrier(null, "Spedition Maier")).toBe("Spedition Maier");
    expect(describeCarrier(null, undefined)).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { de } from "~/i18n/de";
import { invoiceCases } from "~/modules/einvoice/cases";
import { validateInvoice } from "~/modules/einvoice/validate";
import { describeRefusal, refusalReasonKey } from "./einvoice-reasons";

/** Every refusal the case table provokes, in both profiles. */
const refusals = invoiceCases().flatMap((c) => (["en16931", "xrechnung"] as const).flatMap((profile) => validateInvoice(c.invoice, profile).errors));

describe("e-invoice refusal reasons on the invoice page", () => {
  it("the case table refuses for some reasons (else the checks below check nothing)", () => {
    expect(new Set(refusals.map((r) => r.rule)).size).toBeGreaterThan(8);
  });

  it("read German in the German page, with the rule id and the business term's number kept", () => {
    for (const reason of refusals) {
      const shown = describeRefusal("de", reason);
      expect(shown, reason.rule).toMatch(new RegExp(`^\\[${reason.rule}\\] B[TG]-\\d+ — `));
      expect(shown, reason.rule).not.toContain(reason.message);
      // A rule of the case table has its own or its family's text, not the general fallback.
      expect(refusalReasonKey(reason.rule), reason.rule).not.toBe("einvoice.rule.other");
    }
  });

  it("BR-DE-15: the missing buyer reference, in German", () => {
    const reason = refusals.find((r) => r.rule === "BR-DE-15")!;
    expect(describeRefusal("de", reason)).toBe(
      "[BR-DE-15] BT-10 — XRechnung braucht die Käuferreferenz (bei öffentlichen Auftraggebern die Leitweg-ID); weder das Kundenkonto noch die Rechnung haben eine.",
    );
  });

  it("rule families and unknown rules get a German text too", () => {
    expect(refusalReasonKey("BR-AE-10")).toBe("einvoice.rule.vat-10");
    expect(refusalReasonKey("BR-IC-03")).toBe("einvoice.rule.vat-02");
    expect(refusalReasonKey("BR-CO-15")).toBe("einvoice.rule.totals");
    expect(refusalReasonKey("BR-23")).toBe("einvoice.rule.line");
    expect(refusalReasonKey("BR-XX-99")).toBe("einvoice.rule.other");
    expect(describeRefusal("de", { rule: "BR-XX-99", term: "BT-1 Invoice number", message: "Something." })).toBe(`[BR-XX-99] BT-1 — ${de["einvoice.rule.other"]}`);
  });

  it("the English page keeps the validator's message, which names lines and amounts", () => {
    const reason = { rule: "BR-CO-15", term: "BT-112 Invoice total amount with VAT", message: "100.01 ≠ BT-109 + BT-110 = 100.00." };
    expect(describeRefusal("en", reason)).toBe("[BR-CO-15] BT-112 Invoice total amount with VAT — 100.01 ≠ BT-109 + BT-110 = 100.00.");
  });
});

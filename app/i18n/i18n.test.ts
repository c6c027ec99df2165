import { describe, expect, it } from "vitest";
import { de } from "./de";
import { en } from "./en";
import { codeLabel, formatCount } from "./i18n";

// Every code a CHECK constraint allows (db/migrations/001-schema.sql) that the portal shows to contacts.
const SHOWN_CODES = {
  status: [
    "open", "confirmed", "in_production", "partially_shipped", "shipped", "completed", "cancelled", "on_hold",
    "partially_paid", "paid", "overdue",
    "pending", "in_transit", "out_for_delivery", "delivered", "exception", "returned",
    "draft", "sent", "accepted", "rejected", "expired", "withdrawn",
    "submitted", "approved", "received", "credited",
    "waiting_on_customer", "waiting_on_supplier", "resolved", "closed",
  ],
  "returns.reason": ["damaged", "defective", "wrong_item", "wrong_quantity", "not_needed", "other"],
  "support.category": ["general", "order", "delivery", "invoice", "product", "portal"],
  "support.priority": ["low", "normal", "high", "urgent"],
  role: ["admin", "buyer", "finance", "viewer"],
} as const;

describe("codeLabel", () => {
  it("has words for every status, reason, category and role a contact sees, in both languages", () => {
    for (const [family, codes] of Object.entries(SHOWN_CODES)) {
      for (const code of codes) {
        const key = `${family}.${code}`;
        expect(en, key).toHaveProperty([key]);
        expect(de, key).toHaveProperty([key]);
      }
    }
  });

  it("answers in the contact's language", () => {
    expect(codeLabel("en", "status", "waiting_on_supplier")).toBe("Waiting for us");
    expect(codeLabel("de", "status", "accepted")).toBe("Angenommen");
    expect(codeLabel("de", "returns.reason", "wrong_item")).toBe("Falscher Artikel");
    expect(codeLabel("de", "role", "finance")).toBe("Buchhaltung");
  });

  it("humanizes a code it does not know instead of showing the raw key", () => {
    expect(codeLabel("en", "payment", "bank_cheque")).toBe("bank cheque");
    expect(codeLabel("de", "status", null)).toBe("");
  });
});

describe("formatCount", () => {
  it("uses the singular for one and the plural otherwise", () => {
    expect(formatCount("en", 1, "shipment")).toBe("1 shipment");
    expect(formatCount("en", 0, "order")).toBe("0 orders");
    expect(formatCount("de", 1, "shipment")).toBe("1 Lieferung");
    expect(formatCount("de", 1200, "invoice")).toBe("1.200 Rechnungen");
  });
});

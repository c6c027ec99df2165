import { describe, expect, it } from "vitest";
import { resultHref } from "./search-links";

const hit = (type: Parameters<typeof resultHref>[0]["type"], orderId: string | null = null) => ({ type, id: "r-1", number: "N 1/2", orderId });

describe("resultHref", () => {
  it("opens a record's own page where it has one", () => {
    expect(resultHref(hit("order"))).toBe("/orders/r-1");
    expect(resultHref(hit("invoice"))).toBe("/invoices/r-1");
    expect(resultHref(hit("credit_note"))).toBe("/invoices/r-1");
    expect(resultHref(hit("shipment", "o-1"))).toBe("/shipments/r-1");
    expect(resultHref(hit("return_request", "o-1"))).toBe("/returns/r-1");
    expect(resultHref(hit("support_ticket"))).toBe("/support/r-1");
    expect(resultHref(hit("quote", "o-1"))).toBe("/quotes/r-1");
  });

  it("opens a document without a page at its order, else the list filtered to its number", () => {
    expect(resultHref(hit("delivery_note", "o-1"))).toBe("/orders/o-1");
    expect(resultHref(hit("order_confirmation", "o-1"))).toBe("/orders/o-1");
    expect(resultHref(hit("file", "o-1"))).toBe("/orders/o-1");
    expect(resultHref(hit("file"))).toBe("/documents?q=N%201%2F2");
  });
});

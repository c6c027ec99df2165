import type { SearchResult } from "../../electric/replica/search";

/**
 * Where a search hit opens: its own page where it has one; documents without a page of their own
 * open their order (which lists its documents), else the list filtered to the number.
 */
export function resultHref(result: Pick<SearchResult, "type" | "id" | "number" | "orderId">): string {
  const q = encodeURIComponent(result.number ?? "");
  switch (result.type) {
    case "order":
      return `/orders/${result.id}`;
    case "invoice":
    case "credit_note":
      return `/invoices/${result.id}`;
    case "shipment":
      return `/shipments/${result.id}`;
    case "return_request":
      return `/returns/${result.id}`;
    case "support_ticket":
      return `/support/${result.id}`;
    case "quote":
      return `/quotes/${result.id}`;
    case "delivery_note":
    case "order_confirmation":
    case "file":
      return result.orderId ? `/orders/${result.orderId}` : `/documents?q=${q}`;
    default:
      return `/documents?q=${q}`;
  }
}

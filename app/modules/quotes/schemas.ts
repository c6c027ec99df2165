import { z } from "zod";

/** A contact's decision on a quote, as the quotes page submits it. */
export const QuoteDecisionSchema = z.object({
  quoteId: z.uuid({ error: "is not a quote" }),
  intent: z.enum(["accept", "reject"], { error: "must be accept or reject" }),
  // BT-13 Purchase order reference: EN 16931 allows any text; ERPs commonly keep 35 characters.
  customerReference: z
    .string()
    .trim()
    .max(35, "must be at most 35 characters")
    .optional()
    .transform((value) => value || null),
  comment: z
    .string()
    .trim()
    .max(1000, "must be at most 1000 characters")
    .optional()
    .transform((value) => value || null),
});

export type QuoteDecisionInput = z.infer<typeof QuoteDecisionSchema>;

/** Whether a quote still waits for the customer's decision on `today` (YYYY-MM-DD). */
export function isQuoteOpen(quote: { status: string; validUntil: string | null }, today: string): boolean {
  return quote.status === "sent" && (quote.validUntil === null || quote.validUntil.slice(0, 10) >= today);
}

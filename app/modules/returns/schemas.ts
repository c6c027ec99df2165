import { z } from "zod";
import { isUuid } from "~/modules/ids";
import { optionalText } from "~/modules/forms";

/** The reasons the schema's CHECK allows (db/migrations/001-schema.sql return_requests.reason). */
export const RETURN_REASONS = ["damaged", "defective", "wrong_item", "wrong_quantity", "not_needed", "other"] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** Form field of one order line's quantity: `quantity.<sales order line id>`. */
export const QUANTITY_FIELD = "quantity.";
export const quantityField = (orderLineId: string) => `${QUANTITY_FIELD}${orderLineId}`;

/** A quantity as typed: digits with up to 3 decimals, a comma or a point (German or English). */
const QUANTITY = /^\d{1,11}([.,]\d{1,3})?$/;

/** A typed quantity in thousandths (numeric(14,3) without floating point); null when it is no quantity. */
export function quantityThousandths(text: string): number | null {
  const trimmed = text.trim();
  if (!QUANTITY.test(trimmed)) return null;
  const [whole, fraction = ""] = trimmed.replace(",", ".").split(".");
  return Number(whole) * 1000 + Number(fraction.padEnd(3, "0"));
}

/** Thousandths back to the decimal text Postgres takes ("2.5", "3"). */
export function thousandthsText(value: number): string {
  const whole = Math.floor(value / 1000);
  const fraction = String(value % 1000).padStart(3, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

const quantityText = z
  .string()
  .trim()
  .refine((text) => text === "" || quantityThousandths(text) !== null, "must be a number with at most 3 decimals")
  .refine((text) => quantityThousandths(text) !== 0, "must be greater than 0 (leave it empty to keep the line)");

/**
 * A contact's return request as the return form submits it: the order, one `quantity.<line id>`
 * field per order line (empty: not returned), a reason and a comment. The flat quantity fields are
 * gathered into `quantity: { <line id>: text }` first, so an error's path ("quantity.<line id>") is
 * the field's name and every wrong field is reported at once. Limits that need the database (at
 * most what was delivered minus what is already requested) are checked by requestReturn.
 */
export const ReturnRequestSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== "object" || raw === null) return raw;
    const quantity: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key.startsWith(QUANTITY_FIELD)) quantity[key.slice(QUANTITY_FIELD.length)] = value;
      else rest[key] = value;
    }
    return { ...rest, quantity };
  },
  z
    .object({
      orderId: z.uuid({ error: "is not an order" }),
      clientMutationId: z.uuid({ error: "is missing; reload the page and try again" }),
      reason: z.enum(RETURN_REASONS, { error: "must be one of the listed reasons" }),
      comment: optionalText(1000),
      quantity: z
        .record(z.string().refine(isUuid, "is not a line of this order"), quantityText)
        .refine((lines) => Object.values(lines).some((text) => text !== ""), "need a quantity on at least one line"),
    })
    .transform(({ quantity, ...form }) => ({
      ...form,
      lines: Object.entries(quantity)
        .filter(([, text]) => text !== "")
        .map(([orderLineId, text]) => ({ orderLineId, thousandths: quantityThousandths(text) as number })),
    })),
);

export type ReturnRequestInput = z.infer<typeof ReturnRequestSchema>;

/** Staff's decision on a submitted return request. */
export const ReturnDecisionSchema = z.object({
  returnId: z.uuid({ error: "is not a return request" }),
  intent: z.enum(["approve", "reject"], { error: "must be approve or reject" }),
  note: optionalText(1000),
});

export type ReturnDecisionInput = z.infer<typeof ReturnDecisionSchema>;

/** Orders whose delivered lines may be returned. */
export const RETURNABLE_ORDER_STATUSES = ["partially_shipped", "shipped", "completed"] as const;

/** What the return request's page submits: the contact cancels it (only while no one has decided). */
export const ReturnCancelSchema = z.object({
  intent: z.literal("cancel", { error: "must be cancel" }),
});

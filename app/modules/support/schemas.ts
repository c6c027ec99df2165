import { isUuid } from "~/modules/ids";
import { z } from "zod";
import { optionalText } from "~/modules/forms";

/** The values the schema's CHECKs allow (db/migrations/001-schema.sql support_tickets). */
export const TICKET_CATEGORIES = ["general", "order", "delivery", "invoice", "product", "portal"] as const;
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const TICKET_STATUSES = ["open", "waiting_on_customer", "waiting_on_supplier", "resolved", "closed"] as const;

const body = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(10000, "must be at most 10000 characters");

/** A new ticket as the "New ticket" form submits it; `related` is an order or invoice number of the account. */
export const NewTicketSchema = z.object({
  clientMutationId: z.uuid({ error: "is missing; reload the page and try again" }),
  subject: z.string({ error: "is required" }).trim().min(1, "is required").max(200, "must be at most 200 characters"),
  category: z.enum(TICKET_CATEGORIES, { error: "must be one of the listed categories" }),
  priority: z.enum(TICKET_PRIORITIES, { error: "must be one of the listed priorities" }),
  message: body,
  related: optionalText(40),
});

export type NewTicketInput = z.infer<typeof NewTicketSchema>;

/** What the ticket page submits: a reply, or close / reopen. */
export const TicketActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("reply"), clientMutationId: z.uuid({ error: "is missing; reload the page and try again" }), body }),
    z.object({ intent: z.literal("close") }),
    z.object({ intent: z.literal("reopen") }),
  ],
  { error: "must be reply, close or reopen" },
);

export type TicketActionInput = z.infer<typeof TicketActionSchema>;

/** Staff's answer on the admin ticket page: a reply (or internal note) and/or a new status. */
export const StaffTicketSchema = z
  .object({
    body: optionalText(10000),
    internal: z
      .string()
      .optional()
      .transform((value) => value === "on" || value === "true"),
    status: z.enum(TICKET_STATUSES, { error: "must be one of the listed statuses" }).optional(),
  })
  .refine((value) => value.body !== null || value.status !== undefined, { path: ["body"], message: "is required (or choose a new status)" });

export type StaffTicketInput = z.infer<typeof StaffTicketSchema>;

/** Who answers a ticket: a staff user's id, or empty for nobody. */
export const TicketAssignSchema = z.object({
  assignee: z
    .string()
    .trim()
    .refine((value) => value === "" || isUuid(value), { message: "must be a colleague from the list" })
    .transform((value) => value || null),
});

export type TicketAssignInput = z.infer<typeof TicketAssignSchema>;

/** A ticket status as staff say it (the customer's words are "waiting for you / for us"). */
export function staffStatusLabel(status: string): string {
  const text = status.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

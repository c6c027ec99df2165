import { z } from "zod";
import { CONTACT_ROLES } from "~/modules/access/permissions";
import { emailField } from "~/modules/auth/schemas";
import { optionalText } from "~/modules/forms";

/** A contact as staff (or a contact admin) enter it, and later as the ERP API and CSV import send it. */
export const ContactSchema = z.object({
  email: emailField,
  name: z.string({ error: "is required" }).trim().min(2, "is required").max(120, "is too long"),
  role: z.enum(CONTACT_ROLES, { error: `must be one of ${CONTACT_ROLES.join(", ")}` }),
  language: z.enum(["en", "de"], { error: "must be en or de" }).default("en"),
  includeSubsidiaries: z
    .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()])
    .optional()
    .transform((v) => v === true || v === "on" || v === "true"),
  locationIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((id) => id !== ""))
    .pipe(z.array(z.uuid({ error: "must be locations of this account" }))),
});

export type ContactInput = z.infer<typeof ContactSchema>;

/** Staff start viewing the portal as a contact (decision 035): which contact, and optionally why. */
export const ViewAsSchema = z.object({
  contactId: z.uuid({ error: "must be a contact of this account" }),
  reason: optionalText(300),
});

export type ViewAsInput = z.infer<typeof ViewAsSchema>;

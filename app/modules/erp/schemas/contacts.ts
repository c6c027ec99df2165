import { z } from "zod";
import { ContactSchema } from "~/modules/contacts/schemas";
import { bool, erpRef, oneOf, optionalText, requireVersion, versioned } from "./fields";

/**
 * A customer contact as the ERP sends it. Email, name, role and language are the portal's own
 * contact fields (ContactSchema: the same rules as the team and admin forms); the ERP adds its id
 * and the accounts the contact belongs to, with ERP ids instead of portal ids.
 */
export const ContactMembershipShape = z.strictObject({
  accountErpId: erpRef("account"),
  role: ContactSchema.shape.role,
  includeSubsidiaries: bool().default(false),
  locationErpIds: z
    .array(erpRef("location"), { error: "must be a list of location ERP ids" })
    .max(200, "has too many locations (at most 200)")
    .default([])
    .meta({ description: "Restricts the contact to these locations of the account; empty: every location" }),
});

export const ContactRecordShape = z.strictObject({
  ...versioned,
  email: ContactSchema.shape.email,
  name: ContactSchema.shape.name,
  language: ContactSchema.shape.language,
  phone: optionalText(50),
  jobTitle: optionalText(100),
  status: oneOf(["active", "disabled"])
    .default("active")
    .meta({ description: "disabled ends the contact's sessions and blocks sign-in" }),
  memberships: z
    .array(ContactMembershipShape, { error: "must be a list of memberships" })
    .min(1, "must name at least one account")
    .max(100, "has too many accounts (at most 100)"),
});

export const ContactRecordSchema = ContactRecordShape.superRefine((record, ctx) => {
  requireVersion(record, ctx);
  const seen = new Map<string, number>();
  record.memberships.forEach((m, i) => {
    const first = seen.get(m.accountErpId);
    if (first !== undefined) {
      ctx.addIssue({ code: "custom", path: ["memberships", i, "accountErpId"], message: `names the same account as memberships.${first}` });
    } else seen.set(m.accountErpId, i);
  });
});

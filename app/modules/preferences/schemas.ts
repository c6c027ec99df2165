import { z } from "zod";

/** One list's view: column widths in px, hidden columns, sort ("column:asc|desc"), row density. */
export const ViewPreferenceSchema = z.object({
  widths: z.record(z.string().max(40), z.number().int().min(40, "must be at least 40 px").max(1200, "must be at most 1200 px")).optional(),
  hidden: z.array(z.string().max(40)).max(40).optional(),
  sort: z.string().regex(/^[a-zA-Z0-9_]{1,40}:(asc|desc)$/, "must be column:asc or column:desc").optional(),
  density: z.enum(["compact", "comfortable"]).optional(),
});

export const ThemePreferenceSchema = z.enum(["system", "light", "dark"], { error: "must be system, light or dark" });

export const PreferenceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("view"), key: z.string().regex(/^view\.[a-z0-9_-]{1,40}$/, "must be view.<list>"), value: ViewPreferenceSchema }),
  z.object({ kind: z.literal("theme"), key: z.literal("theme"), value: ThemePreferenceSchema }),
]);

export type ViewPreference = z.infer<typeof ViewPreferenceSchema>;
export type ThemePreference = z.infer<typeof ThemePreferenceSchema>;
export type Preferences = { theme?: ThemePreference } & Record<`view.${string}`, ViewPreference | undefined>;

/** How often a contact hears about new documents of one of their accounts (decision 039); off by default. */
export const DIGEST_FREQUENCIES = ["off", "daily", "weekly"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** The settings page names each account's digest select `digest.<accountId>`. */
const DIGEST_FIELD = /^digest\.(.*)$/;

/** Gathers the `digest.<accountId>` fields of a posted form into `digests`; other input passes as it is. */
function gatherDigestFields(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const rest: Record<string, unknown> = {};
  const digests: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const match = DIGEST_FIELD.exec(key);
    if (match) digests[match[1]] = value;
    else rest[key] = value;
  }
  return Object.keys(digests).length > 0 ? { ...rest, digests: { ...(rest.digests as object | undefined), ...digests } } : rest;
}

/**
 * The contact's settings page: the portal's and the mails' language, a checkbox sent as "on" when
 * ticked and absent when not, and per account of theirs the digest of new documents.
 */
export const ContactSettingsSchema = z.preprocess(
  gatherDigestFields,
  z.object({
    language: z.enum(["en", "de"], { error: "must be en or de" }),
    notifyByEmail: z
      .literal("on", { error: "must be on or absent" })
      .optional()
      .transform((value) => value === "on"),
    digests: z
      .record(z.uuid({ error: "must be one of your accounts" }), z.enum(DIGEST_FREQUENCIES, { error: "must be off, daily or weekly" }))
      .default({}),
  }),
);

export type ContactSettings = z.infer<typeof ContactSettingsSchema>;

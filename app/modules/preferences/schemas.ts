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

/** The contact's settings page: the portal's and the mails' language, and a checkbox sent as "on" when ticked and absent when not. */
export const ContactSettingsSchema = z.object({
  language: z.enum(["en", "de"], { error: "must be en or de" }),
  notifyByEmail: z
    .literal("on", { error: "must be on or absent" })
    .optional()
    .transform((value) => value === "on"),
});

export type ContactSettings = z.infer<typeof ContactSettingsSchema>;

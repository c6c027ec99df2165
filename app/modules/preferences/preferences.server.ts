import { getDb } from "~/db/connection.server";
import { PreferenceSchema, type ContactSettings, type Preferences } from "./schemas";

export async function getPreferences(userId: string): Promise<Preferences> {
  const db = await getDb();
  const { rows } = await db.query<{ key: string; value: unknown }>(`SELECT key, value FROM user_preferences WHERE user_id = $1`, [userId]);
  return Object.fromEntries(rows.map((r) => [r.key, r.value])) as Preferences;
}

export type SavePreferenceResult = { ok: true } | { ok: false; errors: Record<string, string> };

/** Validates one preference (a list's view or the theme) and stores it for the user. */
export async function savePreference(userId: string, input: unknown): Promise<SavePreferenceResult> {
  const parsed = PreferenceSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".") || "preference"] ??= issue.message;
    return { ok: false, errors };
  }
  const db = await getDb();
  await db.query(
    `INSERT INTO user_preferences (user_id, key, value) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [userId, parsed.data.key, JSON.stringify(parsed.data.value)],
  );
  return { ok: true };
}

/** A contact's own settings (stored on the user: notification mails read them, decision 031). */
export async function getContactSettings(userId: string): Promise<ContactSettings> {
  const db = await getDb();
  const { rows } = await db.query<ContactSettings>(`SELECT language, notify_by_email AS "notifyByEmail" FROM users WHERE id = $1`, [userId]);
  return rows[0] ?? { language: "en", notifyByEmail: true };
}

/** Stores settings validated by ContactSettingsSchema for the signed-in contact; one left out keeps its value. */
export async function saveContactSettings(userId: string, settings: Partial<ContactSettings>): Promise<void> {
  const db = await getDb();
  await db.query(
    `UPDATE users SET language = coalesce($2, language), notify_by_email = coalesce($3, notify_by_email), updated_at = now() WHERE id = $1`,
    [userId, settings.language ?? null, settings.notifyByEmail ?? null],
  );
}

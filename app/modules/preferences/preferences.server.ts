import { getDb } from "~/db/connection.server";
import { PreferenceSchema, type ContactSettings, type DigestFrequency, type Preferences } from "./schemas";

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

/**
 * A contact's own settings (language and the mail switch stored on the user: notification mails read
 * them, decision 031), with the digest frequency of each of their accounts (decision 039; off when
 * there is no contact_digests row).
 */
export async function getContactSettings(userId: string): Promise<ContactSettings> {
  const db = await getDb();
  const { rows } = await db.query<Omit<ContactSettings, "digests">>(`SELECT language, notify_by_email AS "notifyByEmail" FROM users WHERE id = $1`, [userId]);
  const digests = await db.query<{ accountId: string; frequency: DigestFrequency }>(
    `SELECT m.account_id AS "accountId", coalesce(d.frequency, 'off') AS frequency
       FROM memberships m LEFT JOIN contact_digests d ON d.membership_id = m.id WHERE m.user_id = $1`,
    [userId],
  );
  const settings = rows[0] ?? { language: "en", notifyByEmail: true };
  return { ...settings, digests: Object.fromEntries(digests.rows.map((r) => [r.accountId, r.frequency])) };
}

/**
 * Stores settings validated by ContactSettingsSchema for the signed-in contact; one left out keeps its
 * value. A digest for an account the contact is no member of changes nothing and answers not-found
 * (the route's 404: another account is not theirs to configure). Switching a digest on starts it now
 * (no back-fill of earlier documents); changing daily ↔ weekly keeps where the last one ended.
 */
export async function saveContactSettings(userId: string, settings: Partial<ContactSettings>): Promise<{ ok: true } | { ok: false; notFound: true }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const digests = Object.entries(settings.digests ?? {});
    const { rows: memberships } = await tx.query<{ id: string; accountId: string }>(
      `SELECT m.id, m.account_id AS "accountId" FROM memberships m JOIN accounts a ON a.id = m.account_id
        WHERE m.user_id = $1 AND a.status = 'active' AND m.account_id = ANY($2::uuid[])`,
      [userId, digests.map(([accountId]) => accountId)],
    );
    if (memberships.length !== digests.length) return { ok: false, notFound: true } as const;
    await tx.query(
      `UPDATE users SET language = coalesce($2, language), notify_by_email = coalesce($3, notify_by_email), updated_at = now() WHERE id = $1`,
      [userId, settings.language ?? null, settings.notifyByEmail ?? null],
    );
    const membershipOf = new Map(memberships.map((m) => [m.accountId, m.id]));
    const off = digests.filter(([, frequency]) => frequency === "off").map(([accountId]) => membershipOf.get(accountId));
    const on = digests.filter(([, frequency]) => frequency !== "off");
    await tx.query(`DELETE FROM contact_digests WHERE membership_id = ANY($1::uuid[])`, [off]);
    if (on.length > 0) {
      await tx.query(
        `INSERT INTO contact_digests (membership_id, frequency)
         SELECT * FROM unnest($1::uuid[], $2::text[])
         ON CONFLICT (membership_id) DO UPDATE SET frequency = EXCLUDED.frequency, updated_at = now()
          WHERE contact_digests.frequency <> EXCLUDED.frequency`,
        [on.map(([accountId]) => membershipOf.get(accountId)), on.map(([, frequency]) => frequency)],
      );
    }
    return { ok: true } as const;
  });
}

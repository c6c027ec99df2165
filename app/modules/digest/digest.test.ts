import { afterAll, describe, expect, it } from "vitest";
import { startSmtpSink, type ReceivedMail } from "../../../test/support/smtp";
import { getConfig } from "~/config.server";
import { formatMoney } from "~/i18n/i18n";
import { getDb } from "~/db/connection.server";
import { createPostgresDb } from "~/db/db.server";
import { mailsSettled } from "~/modules/mail/queue.server";
import { saveContactSettings } from "~/modules/preferences/preferences.server";
import type { DigestFrequency } from "~/modules/preferences/schemas";
import { sendDueDigests } from "./digest.server";

// A real SMTP server in this process; the portal reads SMTP_URL once, at its first mail.
const smtp = await startSmtpSink();
process.env.SMTP_URL = smtp.url;
afterAll(() => smtp.close());

const HOUR = 3_600_000;
/** A day and an hour from now: every digest switched on during the test is due by then. */
const tomorrow = () => new Date(Date.now() + 25 * HOUR);

async function one<T>(sql: string, params: unknown[]): Promise<T> {
  const { rows } = await (await getDb()).query<T>(sql, params);
  if (!rows[0]) throw new Error(`nothing for ${sql}`);
  return rows[0];
}

const userId = async (email: string) => (await one<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email])).id;
const accountId = async (number: string) => (await one<{ id: string }>(`SELECT id FROM accounts WHERE number = $1`, [number])).id;

async function chooseDigest(email: string, accountNumber: string, frequency: DigestFrequency) {
  const saved = await saveContactSettings(await userId(email), { digests: { [await accountId(accountNumber)]: frequency } });
  expect(saved.ok).toBe(true);
}

/** A location of the account by its code, or (code null) none: an account-wide document. */
async function locationId(accountNumber: string, code: string | null): Promise<string | null> {
  if (!code) return null;
  return (await one<{ id: string }>(`SELECT l.id FROM locations l JOIN accounts a ON a.id = l.account_id WHERE a.number = $1 AND l.code = $2`, [accountNumber, code])).id;
}

/** Another location of the account than `code`. */
async function otherLocationCode(accountNumber: string, code: string): Promise<string> {
  return (await one<{ code: string }>(`SELECT l.code FROM locations l JOIN accounts a ON a.id = l.account_id WHERE a.number = $1 AND l.code <> $2 ORDER BY l.code`, [accountNumber, code])).code;
}

let serial = 0;
const nextNumber = (prefix: string) => `${prefix}-DIGEST-${process.pid}-${++serial}`;

/** An invoice as the ERP pushes it now: arrives in the portal with created_at = now(). */
async function insertInvoice(accountNumber: string, locationCode: string | null = null) {
  const number = nextNumber("R");
  return one<{ id: string; number: string }>(
    `INSERT INTO invoices (erp_id, account_id, location_id, kind, type_code, number, issue_date, currency,
                           line_net_total, net_amount, tax_amount, gross_amount, amount_due)
     VALUES ($1, $2, $3, 'invoice', '380', $1, current_date, 'EUR', 100, 100, 19, 119, 119) RETURNING id, number`,
    [number, await accountId(accountNumber), await locationId(accountNumber, locationCode)],
  );
}

async function insertShipment(accountNumber: string, locationCode: string | null) {
  const number = nextNumber("S");
  return one<{ id: string; number: string }>(
    `INSERT INTO shipments (erp_id, account_id, location_id, number, status, shipped_at) VALUES ($1, $2, $3, $1, 'in_transit', now()) RETURNING id, number`,
    [number, await accountId(accountNumber), await locationId(accountNumber, locationCode)],
  );
}

/** Runs `action`, waits until the queue is sent, and answers the mails that arrived meanwhile. */
async function mailsOf<T>(action: () => Promise<T>): Promise<{ result: T; mails: ReceivedMail[] }> {
  const before = smtp.mails.length;
  const result = await action();
  await mailsSettled();
  return { result, mails: smtp.mails.slice(before) };
}

const to = (mails: ReceivedMail[], email: string) => mails.filter((m) => m.to.includes(email));

describe("the digest of new documents", () => {
  it("mails a contact with a daily digest once about an invoice that arrived after they switched it on, in their language, with links", async () => {
    const db = await getDb();
    const before = await insertInvoice("10001"); // arrived before the digest was on: never back-filled
    await chooseDigest("buyer@kessler.example", "10001", "daily");
    const invoice = await insertInvoice("10001");

    // Not due yet: a day has not passed since it was switched on.
    const early = await mailsOf(() => sendDueDigests(db));
    expect(to(early.mails, "buyer@kessler.example")).toEqual([]);

    const at = tomorrow();
    const { result, mails } = await mailsOf(() => sendDueDigests(db, { at }));
    expect(result.due).toBeGreaterThanOrEqual(1);
    const mine = to(mails, "buyer@kessler.example");
    expect(mine).toHaveLength(1);
    // Sandra Vogt reads German; admin@kessler.example sees the same invoice but never switched a digest on.
    expect(mine[0].subject).toMatch(/^Neue Dokumente für Kessler Haustechnik GmbH: .*Rechnung/);
    expect(mine[0].text).toContain("Hallo Sandra Vogt,");
    expect(mine[0].text).toContain(`Rechnung ${invoice.number}`);
    expect(mine[0].text).toContain(formatMoney("de", "119.00", "EUR"));
    expect(mine[0].text).toContain(`${getConfig().publicUrl}/invoices/${invoice.id}`);
    expect(mine[0].text).toContain(`${getConfig().publicUrl}/settings`);
    expect(mine[0].text).toContain("tägliche Übersicht");
    expect(mine[0].text).not.toContain(before.number);
    expect(to(mails, "admin@kessler.example")).toEqual([]);

    // Running again at once: nothing due, nothing sent.
    const again = await mailsOf(() => sendDueDigests(db, { at }));
    expect(again.result).toEqual({ due: 0, queued: 0 });
    expect(again.mails).toEqual([]);
  });

  it("lists for a location-restricted viewer only their location's shipments and no invoices", async () => {
    const db = await getDb();
    await chooseDigest("viewer@kessler.example", "10001", "weekly");
    const other = await otherLocationCode("10001", "LNU");
    const ours = await insertShipment("10001", "LNU");
    const theirs = await insertShipment("10001", other);
    const accountWide = await insertShipment("10001", null);
    const invoice = await insertInvoice("10001", "LNU");

    // Weekly: a day later it is not due yet.
    expect(to((await mailsOf(() => sendDueDigests(db, { at: tomorrow() }))).mails, "viewer@kessler.example")).toEqual([]);

    const { mails } = await mailsOf(() => sendDueDigests(db, { at: new Date(Date.now() + 8 * 24 * HOUR) }));
    const mine = to(mails, "viewer@kessler.example");
    expect(mine).toHaveLength(1);
    expect(mine[0].text).toContain(ours.number);
    expect(mine[0].text).toContain(`${getConfig().publicUrl}/shipments/${ours.id}`);
    expect(mine[0].text).not.toContain(theirs.number);
    expect(mine[0].text).not.toContain(accountWide.number);
    // A viewer's role has no invoices.read: the invoice of their own location is neither counted nor listed.
    expect(mine[0].text).not.toContain(invoice.number);
    expect(mine[0].text).not.toMatch(/Rechnung|invoice/i);
  });

  it("sends nothing while the digest is off, and nothing (but moves on) when nothing is new", async () => {
    const db = await getDb();
    const finance = await userId("finance@kessler.example");
    await chooseDigest("finance@kessler.example", "10001", "daily");
    await chooseDigest("finance@kessler.example", "10001", "off");
    expect(await digestRow(finance, "10001")).toBeUndefined();
    await insertInvoice("10001");
    const off = await mailsOf(() => sendDueDigests(db, { at: tomorrow() }));
    expect(to(off.mails, "finance@kessler.example")).toEqual([]);

    // Nordhavn gets no new documents in this test: a due digest sends nothing and still moves on.
    await chooseDigest("buyer@nordhavn.example", "10004", "daily");
    const nordhavn = await userId("buyer@nordhavn.example");
    const since = (await digestRow(nordhavn, "10004"))!.covered_until;
    const at = tomorrow();
    const quiet = await mailsOf(() => sendDueDigests(db, { at }));
    expect(to(quiet.mails, "buyer@nordhavn.example")).toEqual([]);
    const after = (await digestRow(nordhavn, "10004"))!.covered_until;
    expect(after.getTime()).toBeGreaterThan(since.getTime());
  });

  it("sends one mail per contact and account when two portal processes run the job at the same time", async () => {
    const db = await getDb();
    const group = "group@kessler.example"; // buyer of 10001, finance of 10003
    await chooseDigest(group, "10001", "daily");
    await chooseDigest(group, "10003", "daily");
    // Every other membership too, so the two runs overlap on many due digests, not just two.
    const others = await db.query(`INSERT INTO contact_digests (membership_id, frequency) SELECT id, 'daily' FROM memberships ON CONFLICT DO NOTHING`);
    const first = await insertInvoice("10001");
    const second = await insertInvoice("10003");
    const other = createPostgresDb(process.env.DATABASE_URL!, { max: 4 });
    try {
      const at = tomorrow();
      const { result, mails } = await mailsOf(() => Promise.all([sendDueDigests(db, { at }), sendDueDigests(other, { at })]));
      // Each due digest claimed by exactly one of the two.
      expect(result[0].due + result[1].due).toBe(others.rowCount + 2);
      expect(result[0].queued + result[1].queued).toBe(mails.length);
      const mine = to(mails, group);
      expect(mine).toHaveLength(2);
      expect(mine.filter((m) => m.text.includes(first.number))).toHaveLength(1);
      expect(mine.filter((m) => m.text.includes(second.number))).toHaveLength(1);
      const perRecipientAndAccount = mails.map((m) => `${m.to.join()} ${m.subject.split(":")[0]}`);
      expect(new Set(perRecipientAndAccount).size).toBe(mails.length);
    } finally {
      await other.close();
    }
  });
});

async function digestRow(userId: string, accountNumber: string) {
  const { rows } = await (await getDb()).query<{ frequency: string; covered_until: Date }>(
    `SELECT d.frequency, d.covered_until FROM contact_digests d JOIN memberships m ON m.id = d.membership_id JOIN accounts a ON a.id = m.account_id
      WHERE m.user_id = $1 AND a.number = $2`,
    [userId, accountNumber],
  );
  return rows[0];
}

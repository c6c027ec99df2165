import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { startSmtpSink, type ReceivedMail } from "../../../test/support/smtp";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/connection.server";
import { scopeOf } from "~/modules/access/test-support";
import { drainMailQueue, mailsSettled } from "~/modules/mail/queue.server";
import { saveContactSettings } from "~/modules/preferences/preferences.server";
import { cancelReturnRequest, requestReturn } from "~/modules/returns/request.server";
import { decideReturnRequest } from "~/modules/returns/staff.server";
import { answerTicket, assignTicket } from "~/modules/support/staff.server";
import { actOnTicket, createTicket } from "~/modules/support/ticket.server";
import type { NewTicketInput } from "~/modules/support/schemas";
import { PDF, PNG } from "~/modules/attachments/test-files";
import { checkAttachments } from "~/modules/attachments/upload.server";

// A real SMTP server in this process; the portal reads SMTP_URL once, at its first mail. SUPPORT_MAIL_TO
// stays unset: staff mails go to the active staff whose role answers tickets and decides returns.
const smtp = await startSmtpSink();
process.env.SMTP_URL = smtp.url;
afterAll(() => smtp.close());
afterEach(() => {
  smtp.setFailing(false);
  smtp.setDelay(0);
});

const STAFF_WHO_ANSWER = ["admin@brandt-soehne.example", "c.dubois@brandt-soehne.example", "sales@brandt-soehne.example", "support@brandt-soehne.example"];

/** Runs `action`, waits until its mails are out, and answers what arrived meanwhile. */
async function mailsOf<T>(action: () => Promise<T>): Promise<{ result: T; mails: ReceivedMail[] }> {
  const before = smtp.mails.length;
  const result = await action();
  await mailsSettled();
  return { result, mails: smtp.mails.slice(before) };
}

const to = (mails: ReceivedMail[]) => mails.flatMap((m) => m.to).sort();

async function userId(email: string) {
  const { rows } = await (await getDb()).query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  return rows[0].id;
}

const newTicket = (fields: Partial<NewTicketInput> = {}): NewTicketInput => ({
  clientMutationId: crypto.randomUUID(), subject: "Lieferschein fehlt", category: "delivery", priority: "high",
  message: "Zur letzten Lieferung fehlt der Lieferschein.", related: null, ...fields,
});

async function openTicket(email: string, fields: Partial<NewTicketInput> = {}) {
  const created = await createTicket(await scopeOf(email), newTicket(fields));
  if (!created.ok) throw new Error(`no ticket for ${email}`);
  await mailsSettled();
  return created;
}

/** A shipped order line of the account (at `locationCode` when given) without return requests. */
async function shippedLine(accountNumber: string, locationCode?: string) {
  const { rows } = await (await getDb()).query<{ orderId: string; lineId: string }>(
    `SELECT o.id AS "orderId", l.id AS "lineId"
       FROM sales_orders o JOIN accounts a ON a.id = o.account_id JOIN sales_order_lines l ON l.sales_order_id = o.id
       LEFT JOIN locations loc ON loc.id = o.location_id
      WHERE a.number = $1 AND o.status IN ('shipped', 'completed') AND l.quantity_shipped >= 2 AND ($2::text IS NULL OR loc.code = $2)
        AND NOT EXISTS (SELECT 1 FROM return_requests r WHERE r.sales_order_id = o.id)
      ORDER BY o.order_date DESC, l.line_no LIMIT 1`,
    [accountNumber, locationCode ?? null],
  );
  return rows[0];
}

async function fileReturn(email: string, accountNumber: string, comment = "Gehäuse gerissen") {
  const { orderId, lineId } = await shippedLine(accountNumber);
  const result = await requestReturn(await scopeOf(email), {
    orderId, clientMutationId: crypto.randomUUID(), reason: "damaged", comment, lines: [{ orderLineId: lineId, thousandths: 1000 }],
  });
  if (!result.ok) throw new Error(`no return for ${email}`);
  return result;
}

describe("ticket notification mails", () => {
  it("staff hear about a new ticket and a reply, each in their language; the contact hears about a public answer and a resolved ticket, never an internal note", async () => {
    const support = { userId: await userId("support@brandt-soehne.example") };
    const buyer = await scopeOf("buyer@kessler.example"); // German
    const { result: created, mails: opened } = await mailsOf(() => createTicket(buyer, newTicket({ subject: "Pumpe undicht" })));
    if (!created.ok) throw new Error("not created");
    // Every active staff member who may answer tickets (not finance staff), none to the customer.
    expect(to(opened)).toEqual(STAFF_WHO_ANSWER);
    const german = opened.find((m) => m.to.includes("support@brandt-soehne.example"));
    expect(german?.subject).toBe(`Neues Ticket ${created.number} von Kessler Haustechnik GmbH (10001): Pumpe undicht`);
    expect(german?.text).toContain("Zur letzten Lieferung fehlt der Lieferschein.");
    expect(german?.text).toContain(`${getConfig().publicUrl}/admin/tickets/${created.id}`);
    const english = opened.find((m) => m.to.includes("c.dubois@brandt-soehne.example"));
    expect(english?.subject).toMatch(new RegExp(`^New ticket ${created.number} from `));
    expect(english?.text).toContain("Priority: High");

    const note = await mailsOf(() => answerTicket(support, created.id, { body: "Intern: Lager fragen, Kunde zahlt spät", internal: true, status: undefined }));
    expect(note.result).toMatchObject({ ok: true });
    expect(note.mails).toEqual([]);

    const answer = await mailsOf(() => answerTicket(support, created.id, { body: "Wir tauschen die Dichtung.", internal: false, status: undefined }));
    expect(to(answer.mails)).toEqual(["buyer@kessler.example"]);
    expect(answer.mails[0].subject).toBe(`${created.number}: neue Antwort zu „Pumpe undicht“`);
    expect(answer.mails[0].text).toContain("Hallo Sandra Vogt,");
    expect(answer.mails[0].text).toContain("Wir tauschen die Dichtung.");
    expect(answer.mails[0].text).toContain("Status: Wartet auf Sie");
    expect(answer.mails[0].text).toContain(`${getConfig().publicUrl}/support/${created.id}`);
    expect(answer.mails[0].text).toContain(`${getConfig().publicUrl}/settings`);
    expect(answer.mails[0].text).not.toContain("Lager fragen");

    const reply = await mailsOf(() => actOnTicket(buyer, created.id, { intent: "reply", clientMutationId: crypto.randomUUID(), body: "Danke, bis wann?" }));
    expect(to(reply.mails)).toEqual(STAFF_WHO_ANSWER);
    expect(reply.mails[0].text).toContain("Danke, bis wann?");

    // A status change alone: only resolved or closed reach the contact.
    expect((await mailsOf(() => answerTicket(support, created.id, { body: null, internal: false, status: "waiting_on_customer" }))).mails).toEqual([]);
    const resolved = await mailsOf(() => answerTicket(support, created.id, { body: null, internal: false, status: "resolved" }));
    expect(to(resolved.mails)).toEqual(["buyer@kessler.example"]);
    expect(resolved.mails[0].subject).toBe(`${created.number}: Gelöst – „Pumpe undicht“`);

    // The contact closing it themselves, or the same reply submitted twice, sends nothing more.
    expect((await mailsOf(() => actOnTicket(buyer, created.id, { intent: "close" }))).mails).toEqual([]);
    const all = smtp.mails.map((m) => m.text).join("\n");
    expect(all).not.toContain("Kunde zahlt spät");
  });

  it("names attached files (never sends them): the contact's in staff's mail, staff's answer and return label in the contact's, never a note's", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const support = { userId: await userId("support@brandt-soehne.example") };
    const photo = await checkAttachments({ files: [{ fileName: "schaden.png", bytes: new Uint8Array(PNG), byteSize: PNG.byteLength }], fileCount: 1 });
    const pdf = await checkAttachments({ files: [{ fileName: "label.pdf", bytes: new Uint8Array(PDF), byteSize: PDF.byteLength }], fileCount: 1 });
    if (!photo.ok || !pdf.ok) throw new Error("fixtures refused");
    const { result: created, mails: opened } = await mailsOf(() => createTicket(buyer, newTicket(), {}, photo.files));
    if (!created.ok) throw new Error("not created");
    expect(opened[0].text).toContain("Anhänge (im Portal): schaden.png (");
    const note = await mailsOf(() => answerTicket(support, created.id, { body: "Intern", internal: true, status: undefined }, {}, pdf.files));
    expect(note.mails).toEqual([]);
    const answer = await mailsOf(() => answerTicket(support, created.id, { body: "Label anbei.", internal: false, status: undefined }, {}, pdf.files));
    expect(answer.mails[0].text).toMatch(/Label anbei\.\n\nAnhänge \(im Portal\): label\.pdf \(\d+ B\)/);
    expect(answer.mails[0].text).not.toContain("%PDF");

    const { orderId, lineId } = await shippedLine("10001");
    const requested = await mailsOf(() =>
      requestReturn(buyer, { orderId, clientMutationId: crypto.randomUUID(), reason: "damaged", comment: "Riss", lines: [{ orderLineId: lineId, thousandths: 1000 }] }, {}, photo.files),
    );
    if (!requested.result.ok) throw new Error("not requested");
    expect(requested.mails[0].text).toContain("schaden.png (");
    const decided = await mailsOf(() => decideReturnRequest(support, { returnId: (requested.result as { id: string }).id, intent: "approve", note: "Label anbei" }, {}, pdf.files));
    expect(to(decided.mails)).toEqual(["buyer@kessler.example"]);
    expect(decided.mails[0].text).toContain("Anhänge (im Portal): label.pdf (");
    expect(decided.mails[0].text).not.toContain("schaden.png");
  });

  it("writes to an English contact in English", async () => {
    const created = await openTicket("buyer@nordhavn.example", { subject: "Missing delivery note" });
    const support = { userId: await userId("support@brandt-soehne.example") };
    const { mails } = await mailsOf(() => answerTicket(support, created.id, { body: "It is in the box.", internal: false, status: "resolved" }));
    expect(to(mails)).toEqual(["buyer@nordhavn.example"]);
    expect(mails[0].subject).toBe(`${created.number}: new answer to “Missing delivery note”`);
    expect(mails[0].text).toContain("Hello ");
    expect(mails[0].text).toContain("Status: Resolved");
  });

  it("mails no contact who can no longer see the ticket: disabled, switched off, moved to another account, outside their location", async () => {
    const support = { userId: await userId("support@brandt-soehne.example") };
    const answer = (ticketId: string) => mailsOf(() => answerTicket(support, ticketId, { body: "Antwort", internal: false, status: undefined }));
    const db = await getDb();

    // "Email me about my tickets and returns" off: nothing; on again: the mail.
    const group = await userId("group@kessler.example");
    const switchedOff = await openTicket("group@kessler.example");
    await saveContactSettings(group, { notifyByEmail: false });
    expect((await answer(switchedOff.id)).mails).toEqual([]);
    await saveContactSettings(group, { notifyByEmail: true });
    expect(to((await answer(switchedOff.id)).mails)).toEqual(["group@kessler.example"]);

    // Disabled after opening the ticket.
    const disabled = await openTicket("admin@kessler.example");
    await db.query(`UPDATE users SET status = 'disabled' WHERE email = 'admin@kessler.example'`);
    expect((await answer(disabled.id)).mails).toEqual([]);
    await db.query(`UPDATE users SET status = 'active' WHERE email = 'admin@kessler.example'`);

    // The opener now belongs to another account only: Kessler's ticket is no longer theirs.
    const moved = await openTicket("finance@kessler.example");
    await db.query(
      `UPDATE memberships SET account_id = (SELECT id FROM accounts WHERE number = '10004'), include_subsidiaries = false
        WHERE user_id = (SELECT id FROM users WHERE email = 'finance@kessler.example')`,
    );
    expect((await answer(moved.id)).mails).toEqual([]);

    // A location-restricted contact moved to another location of the account.
    await db.query(`UPDATE memberships SET role = 'buyer' WHERE user_id = (SELECT id FROM users WHERE email = 'viewer@kessler.example')`);
    const restricted = await openTicket("viewer@kessler.example");
    expect(to((await answer(restricted.id)).mails)).toEqual(["viewer@kessler.example"]);
    await db.query(
      `UPDATE membership_locations ml SET location_id = (SELECT l.id FROM locations l JOIN accounts a ON a.id = l.account_id
                                                         WHERE a.number = '10001' AND l.id <> ml.location_id LIMIT 1)
        WHERE membership_id = (SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'viewer@kessler.example')`,
    );
    expect((await answer(restricted.id)).mails).toEqual([]);
  });

  it("a failing or slow mail server neither fails nor holds up the action; the mail waits in the queue and goes out once the server is back", async () => {
    const support = { userId: await userId("support@brandt-soehne.example") };
    const created = await openTicket("buyer@kessler.example");
    const db = await getDb();
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      smtp.setFailing(true);
      const { result, mails } = await mailsOf(async () => {
        const answered = await answerTicket(support, created.id, { body: "Trotzdem gespeichert", internal: false, status: undefined });
        await drainMailQueue(db, { retry: { retries: 2, minTimeout: 10, maxTimeout: 30 } });
        return answered;
      });
      expect(result).toEqual({ ok: true, number: created.number, status: "waiting_on_customer" });
      expect(mails).toEqual([]);
      expect(logged.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(
        new RegExp(`notification mail "${created.number} ticket.answered" to buyer@kessler.example failed \\(attempt 3 of 15, next try in 5 min\\): .*550`),
      );
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ticket_messages WHERE ticket_id = $1 AND body = 'Trotzdem gespeichert'`, [created.id]);
      expect(rows[0].n).toBe(1);
    } finally {
      logged.mockRestore();
    }
    // The server is back and the five minutes have passed: the mail goes out, once.
    smtp.setFailing(false);
    await db.query(`UPDATE mail_queue SET next_attempt_at = now() WHERE reference = $1 AND status = 'pending'`, [created.number]);
    const { mails: resent } = await mailsOf(async () => undefined);
    expect(to(resent)).toEqual(["buyer@kessler.example"]);
    expect(resent[0].text).toContain("Trotzdem gespeichert");

    smtp.setFailing(false);
    smtp.setDelay(1500);
    const started = performance.now();
    const reply = await actOnTicket(await scopeOf("buyer@kessler.example"), created.id, { intent: "reply", clientMutationId: crypto.randomUUID(), body: "Und jetzt?" });
    const took = performance.now() - started;
    expect(reply).toMatchObject({ ok: true });
    expect(took).toBeLessThan(1000); // the mail server holds each message 1.5 s
    await mailsSettled();
    expect(smtp.mails.filter((m) => m.text.includes("Und jetzt?")).length).toBe(STAFF_WHO_ANSWER.length);
  });
});

describe("ticket assignment mails", () => {
  it("a colleague a ticket is handed to gets one mail in their language; taking it oneself, the same person again or nobody mails no one", async () => {
    const created = await openTicket("buyer@kessler.example", { subject: "Pumpe undicht", category: "product", priority: "urgent" });
    const [admin, support, sales, dubois] = await Promise.all(
      ["admin@brandt-soehne.example", "support@brandt-soehne.example", "sales@brandt-soehne.example", "c.dubois@brandt-soehne.example"].map(userId),
    );
    const assign = (by: string, assignee: string | null) => mailsOf(() => assignTicket({ userId: by }, created.id, { assignee }));
    const link = `${getConfig().publicUrl}/admin/tickets/${created.id}`;

    // Aylin Demir takes it herself ("Assign to me"), then presses it again: no mail.
    const taken = await assign(support, support);
    expect(taken.result).toMatchObject({ ok: true, changed: true, mailed: false });
    expect(taken.mails).toEqual([]);
    expect((await assign(support, support)).mails).toEqual([]);

    // She hands it to Claire Dubois (English): one mail, to her alone; it was Aylin's own, so no "before" line.
    const handed = await assign(support, dubois);
    expect(handed.result).toMatchObject({ ok: true, changed: true, mailed: true });
    expect(to(handed.mails)).toEqual(["c.dubois@brandt-soehne.example"]);
    expect(handed.mails[0].subject).toBe(`Aylin Demir assigned ${created.number} to you: Pumpe undicht`);
    expect(handed.mails[0].text).toBe(
      `Aylin Demir assigned ticket ${created.number} “Pumpe undicht” of Kessler Haustechnik GmbH (10001) to you.\n\n` +
        `Category: Product\nPriority: Urgent\n\nThe ticket:\n${link}\n`,
    );

    // Katrin Brandt moves it on to Florian Maier (German): he hears who had it; Claire hears nothing.
    const moved = await assign(admin, sales);
    expect(to(moved.mails)).toEqual(["sales@brandt-soehne.example"]);
    expect(moved.mails[0].subject).toBe(`Katrin Brandt hat Ihnen ${created.number} zugewiesen: Pumpe undicht`);
    expect(moved.mails[0].text).toContain(`Katrin Brandt hat Ihnen Ticket ${created.number} „Pumpe undicht“ von Kessler Haustechnik GmbH (10001) zugewiesen. Bisher lag es bei Claire Dubois.`);
    expect(moved.mails[0].text).toContain("Kategorie: Produkt\nPriorität: Dringend");
    expect(moved.mails[0].text).toContain(link);

    // The same colleague again, or nobody: no mail.
    expect((await assign(admin, sales)).mails).toEqual([]);
    const unassigned = await assign(admin, null);
    expect(unassigned.result).toMatchObject({ ok: true, changed: true, mailed: false });
    expect(unassigned.mails).toEqual([]);

    // They went through the queue, in the assignment's transaction, as the kind staff see at /admin/mail-queue.
    const { rows } = await (await getDb()).query<{ recipient: string; status: string }>(
      `SELECT recipient, status FROM mail_queue WHERE reference = $1 AND kind = 'staff.ticket.assigned' ORDER BY created_at`,
      [created.number],
    );
    expect(rows).toEqual([
      { recipient: "c.dubois@brandt-soehne.example", status: "sent" },
      { recipient: "sales@brandt-soehne.example", status: "sent" },
    ]);
  });
});

describe("return notification mails", () => {
  it("staff hear about a request (lines, reason, comment) and a cancel; the contact reads the decision with the note", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const { result: requested, mails: filed } = await mailsOf(() => fileReturn("buyer@kessler.example", "10001", "Zwei Gehäuse gerissen"));
    expect(to(filed)).toEqual(STAFF_WHO_ANSWER);
    const german = filed.find((m) => m.to.includes("sales@brandt-soehne.example"));
    expect(german?.subject).toBe(`Retoure ${requested.number} von Kessler Haustechnik GmbH (10001)`);
    expect(german?.text).toContain("Grund: Beschädigt");
    expect(german?.text).toMatch(/- 1\. .+: 1 /);
    expect(german?.text).toContain("\n\nKommentar:\nZwei Gehäuse gerissen\n\nHier entscheiden:\n");
    expect(german?.text).toContain(`${getConfig().publicUrl}/admin/returns/${requested.id}`);

    const sales = { userId: await userId("sales@brandt-soehne.example") };
    const approved = await mailsOf(() => decideReturnRequest(sales, { returnId: requested.id, intent: "approve", note: "Abholung durch DHL am Montag." }));
    expect(to(approved.mails)).toEqual(["buyer@kessler.example"]);
    expect(approved.mails[0].subject).toBe(`Retoure ${requested.number}: Genehmigt`);
    expect(approved.mails[0].text).toContain("Abholung durch DHL am Montag.");
    expect(approved.mails[0].text).toContain(`${getConfig().publicUrl}/returns/${requested.id}`);

    const english = await fileReturn("buyer@nordhavn.example", "10004");
    await mailsSettled();
    const rejected = await mailsOf(() => decideReturnRequest(sales, { returnId: english.id, intent: "reject", note: null }));
    expect(to(rejected.mails)).toEqual(["buyer@nordhavn.example"]);
    expect(rejected.mails[0].subject).toBe(`Return request ${english.number}: Rejected`);
    expect(rejected.mails[0].text).not.toContain("Our note");

    const toCancel = await fileReturn("buyer@kessler.example", "10001");
    await mailsSettled();
    const cancelled = await mailsOf(() => cancelReturnRequest(buyer, toCancel.id));
    expect(to(cancelled.mails)).toEqual(STAFF_WHO_ANSWER);
    expect(cancelled.mails[0].text).toContain(toCancel.number);
    expect((await mailsOf(() => cancelReturnRequest(buyer, toCancel.id))).mails).toEqual([]); // a double submit mails once
  });

  it("the decision reaches no contact who switched the mails off or lost the account", async () => {
    const sales = { userId: await userId("sales@brandt-soehne.example") };
    const claus = await userId("claus.jorgensen@nordhavn.example");
    const off = await fileReturn("claus.jorgensen@nordhavn.example", "10004");
    await saveContactSettings(claus, { notifyByEmail: false });
    await mailsSettled();
    expect((await mailsOf(() => decideReturnRequest(sales, { returnId: off.id, intent: "approve", note: null }))).mails).toEqual([]);

    const gone = await fileReturn("buyer@nordhavn.example", "10004");
    await mailsSettled();
    await (await getDb()).query(`DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = 'buyer@nordhavn.example')`);
    expect((await mailsOf(() => decideReturnRequest(sales, { returnId: gone.id, intent: "approve", note: "x" }))).mails).toEqual([]);
  });
});

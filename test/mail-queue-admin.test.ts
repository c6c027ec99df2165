import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { request, signIn } from "./support/portal";

/**
 * /admin/mail-queue through the production build: staff who read the outbox see the queue, only a
 * staff admin retries a failed mail (audited), contacts get 404 like on every admin page.
 */
describe("the mail queue admin page", () => {
  it("lists pending, sent and failed mails with attempts and the last error; a staff admin retries a failed one; others may not", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; status: string }>(
      `INSERT INTO mail_queue (kind, reference, recipient, language, subject, body, status, attempts, last_error, sent_at)
       VALUES ('ticket.answered', 'T-PAGE-1', 'buyer@kessler.example', 'de', 'T-PAGE-1: neue Antwort', 'Hallo', 'failed', 15, '550 Mailbox unavailable', NULL),
              ('staff.ticket.created', 'T-PAGE-2', 'support@brandt-soehne.example', 'de', 'Neues Ticket T-PAGE-2', 'x', 'sent', 2, '421 try later', now()),
              ('return.decided', 'RMA-PAGE-3', 'buyer@nordhavn.example', 'en', 'Return request RMA-PAGE-3: Approved', 'x', 'pending', 0, NULL, NULL)
       RETURNING id, status`,
    );
    const failed = rows.find((r) => r.status === "failed")!.id;

    // Contacts: 404 on the page and on the retry, like every admin route.
    for (const email of ["admin@kessler.example", "buyer@nordhavn.example"]) {
      const contact = await signIn(email);
      expect((await request("/admin/mail-queue", { cookie: contact })).status).toBe(404);
      expect((await request("/admin/mail-queue", { cookie: contact, form: { intent: "retry", id: failed } })).status).toBe(404);
    }

    // Support staff read the queue but may not retry; finance staff may not read it.
    const support = await signIn("support@brandt-soehne.example");
    const seen = await request("/admin/mail-queue", { cookie: support });
    expect(seen.status).toBe(200);
    const html = await seen.text();
    for (const text of ["T-PAGE-1", "550 Mailbox unavailable", "T-PAGE-2", "421 try later", "RMA-PAGE-3", "buyer@nordhavn.example"]) expect(html).toContain(text);
    expect(html).not.toContain(">Retry<");
    expect((await request("/admin/mail-queue", { cookie: support, form: { intent: "retry", id: failed } })).status).toBe(403);
    expect((await request("/admin/mail-queue", { cookie: await signIn("finance@brandt-soehne.example") })).status).toBe(403);

    // The failed filter shows the failed mail only.
    const admin = await signIn("admin@brandt-soehne.example");
    const onlyFailed = await (await request("/admin/mail-queue?status=failed", { cookie: admin })).text();
    expect(onlyFailed).toContain("T-PAGE-1");
    expect(onlyFailed).not.toContain("T-PAGE-2");
    expect(onlyFailed).toContain(">Retry<");

    const bad = await request("/admin/mail-queue", { cookie: admin, form: { intent: "retry", id: "nope" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("id is not a mail id");

    const retried = await request("/admin/mail-queue", { cookie: admin, form: { intent: "retry", id: failed } });
    expect(retried.status).toBe(200);
    expect(await retried.text()).toContain("Queued again");
    const { rows: after } = await db.query<{ status: string }>(`SELECT status FROM mail_queue WHERE id = $1`, [failed]);
    expect(after[0].status).toBe("pending");
    const { rows: audit } = await db.query<{ action: string; email: string }>(
      `SELECT e.action, u.email FROM audit_events e JOIN users u ON u.id = e.actor_user_id WHERE e.entity_type = 'mail' AND e.entity_id = $1`,
      [failed],
    );
    expect(audit).toEqual([{ action: "mail.retried", email: "admin@brandt-soehne.example" }]);

    // Pressed twice (two tabs): the second one says so and changes nothing.
    const again = await request("/admin/mail-queue", { cookie: admin, form: { intent: "retry", id: failed } });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("not failed (any more)");
  });

  it("shows one mail with its text to the staff who read the queue, escaped; contacts get 404, finance staff 403; a staff admin retries it there", async () => {
    const db = await getDb();
    const body = "Hallo Sandra Vogt,\n\nWir tauschen die Dichtung. <script>alert(1)</script><b>fett</b>\n\nhttps://portal.example/support/1";
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO mail_queue (kind, reference, recipient, language, subject, body, status, attempts, last_error, next_attempt_at)
       VALUES ('ticket.answered', 'T-DETAIL-1', 'buyer@kessler.example', 'de', 'T-DETAIL-1: neue Antwort zu „Pumpe“', $1, 'failed', 15, '550 5.1.1 Mailbox unavailable', now())
       RETURNING id`,
      [body],
    );
    const id = rows[0].id;
    const page = `/admin/mail-queue/${id}`;

    // Contacts: 404, the account's own admin as much as another account's buyer, on the page and on the retry.
    for (const email of ["admin@kessler.example", "buyer@nordhavn.example"]) {
      const contact = await signIn(email);
      expect((await request(page, { cookie: contact })).status).toBe(404);
      expect((await request(page, { cookie: contact, form: { intent: "retry" } })).status).toBe(404);
    }
    expect((await request(page, { cookie: await signIn("finance@brandt-soehne.example") })).status).toBe(403);

    // Support staff read it: the facts, the text with its line breaks, stored markup shown as text, never as markup.
    const support = await signIn("support@brandt-soehne.example");
    const list = await (await request("/admin/mail-queue?status=failed", { cookie: support })).text();
    expect(list).toContain(`href="${page}"`);
    const seen = await request(page, { cookie: support });
    expect(seen.status).toBe(200);
    const html = await seen.text();
    for (const text of ["buyer@kessler.example", "T-DETAIL-1: neue Antwort zu „Pumpe“", "ticket.answered", "15<!-- --> of <!-- -->15", "550 5.1.1 Mailbox unavailable", `&lt;${id}@`]) {
      expect(html).toContain(text);
    }
    expect(html).toContain("Hallo Sandra Vogt,\n\nWir tauschen die Dichtung. &lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;fett&lt;/b&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<b>fett</b>");
    expect(html).not.toContain(">Retry<");
    expect((await request(page, { cookie: support, form: { intent: "retry" } })).status).toBe(403);

    // No such mail (or pruned), or not an id: 404.
    expect((await request("/admin/mail-queue/00000000-0000-4000-8000-000000000000", { cookie: support })).status).toBe(404);
    expect((await request("/admin/mail-queue/nope", { cookie: support })).status).toBe(404);

    // A staff admin retries it from its page: the id is the page's, audited as on the list.
    const admin = await signIn("admin@brandt-soehne.example");
    expect(await (await request(page, { cookie: admin })).text()).toContain(">Retry<");
    const retried = await request(page, { cookie: admin, form: { intent: "retry", id: "00000000-0000-4000-8000-000000000000" } });
    expect(retried.status).toBe(200);
    expect(await retried.text()).toContain("Queued again");
    const after = await db.query<{ status: string }>(`SELECT status FROM mail_queue WHERE id = $1`, [id]);
    expect(after.rows[0].status).toBe("pending");
    const audit = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'mail.retried' AND entity_id = $1`, [id]);
    expect(audit.rows[0].n).toBe(1);
    const pending = await (await request(page, { cookie: admin })).text();
    expect(pending).toContain("Next attempt");
    expect(pending).not.toContain(">Retry<");
    expect((await request(page, { cookie: admin, form: { intent: "retry" } })).status).toBe(409);
  });
});

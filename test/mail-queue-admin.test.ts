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
});

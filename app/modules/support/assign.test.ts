import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { scopeOf } from "~/modules/access/test-support";
import { parseForm } from "~/modules/forms";
import { TicketAssignSchema } from "./schemas";
import { assignTicket, getTicketForStaff, listTicketAssignees, listTicketsForStaff } from "./staff.server";
import { actOnTicket, createTicket } from "./ticket.server";

async function userId(email: string) {
  const { rows } = await (await getDb()).query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  return rows[0].id;
}

function assignForm(assignee: string) {
  const form = new FormData();
  form.set("assignee", assignee);
  return parseForm(TicketAssignSchema, form);
}

describe("assigning tickets", () => {
  it("hands a ticket to a colleague who answers tickets, to another, to nobody; audited; the queue filters by it", async () => {
    const db = await getDb();
    const buyer = await scopeOf("buyer@kessler.example");
    const created = await createTicket(buyer, {
      clientMutationId: crypto.randomUUID(), subject: "Rechnung doppelt", category: "invoice", priority: "normal", message: "Bitte prüfen.", related: null,
    });
    if (!created.ok) throw new Error("ticket not created");
    const [admin, support, finance] = await Promise.all(["admin", "support", "finance"].map((r) => userId(`${r}@brandt-soehne.example`)));

    // Finance staff read tickets but do not answer them: not in the list, refused by name.
    const assignees = await listTicketAssignees(db);
    expect(assignees.map((a) => a.email)).toEqual(expect.arrayContaining(["admin@brandt-soehne.example", "support@brandt-soehne.example"]));
    expect(assignees.some((a) => a.id === finance)).toBe(false);
    for (const wrong of [finance, buyer.userId, "00000000-0000-4000-8000-000000000000"]) {
      const parsed = assignForm(wrong);
      if (!parsed.ok) throw new Error("a uuid parses");
      expect(await assignTicket({ userId: admin }, created.id, parsed.data)).toEqual({
        ok: false, reason: "invalid", fieldErrors: { assignee: "must be a colleague who answers tickets" },
      });
    }
    expect(assignForm("not-an-id")).toMatchObject({ ok: false, fieldErrors: { assignee: "must be a colleague from the list" } });
    expect(await assignTicket({ userId: admin }, "00000000-0000-4000-8000-000000000000", { assignee: support })).toEqual({ ok: false, reason: "not_found" });

    expect((await listTicketsForStaff({ assigneeId: null })).some((t) => t.id === created.id)).toBe(true);
    expect(await assignTicket({ userId: admin }, created.id, { assignee: support })).toEqual({ ok: true, number: created.number, assigneeName: "Aylin Demir", changed: true, mailed: true });
    expect(await assignTicket({ userId: admin }, created.id, { assignee: support })).toMatchObject({ ok: true, changed: false });
    expect(await getTicketForStaff(created.id)).toMatchObject({ assigneeId: support, assigneeName: "Aylin Demir" });
    expect((await listTicketsForStaff({ assigneeId: support })).map((t) => t.id)).toContain(created.id);
    expect((await listTicketsForStaff({ assigneeId: admin })).map((t) => t.id)).not.toContain(created.id);
    expect((await listTicketsForStaff({ assigneeId: null })).map((t) => t.id)).not.toContain(created.id);

    // A customer reply on an assigned ticket is mailed to the assignee alone (SUPPORT_MAIL_TO unset).
    const reply = await actOnTicket(buyer, created.id, { intent: "reply", clientMutationId: crypto.randomUUID(), body: "Noch offen?" });
    expect(reply).toMatchObject({ ok: true });
    const replyMails = await db.query<{ recipient: string }>(
      `SELECT recipient FROM mail_queue WHERE reference = $1 AND kind = 'staff.ticket.reply'`, [created.number],
    );
    expect(replyMails.rows.map((r) => r.recipient)).toEqual(["support@brandt-soehne.example"]);
    // ... while the new ticket went to every colleague who answers tickets.
    const createdMails = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mail_queue WHERE reference = $1 AND kind = 'staff.ticket.created'`, [created.number]);
    expect(createdMails.rows[0].n).toBe(assignees.length);

    expect(await assignTicket({ userId: support }, created.id, { assignee: null })).toMatchObject({ ok: true, assigneeName: null, changed: true });
    const audit = await db.query<{ actor: string; details: { from: string | null; to: string | null } }>(
      `SELECT actor_user_id AS actor, details FROM audit_events WHERE action = 'ticket.assigned' AND entity_id = $1 ORDER BY id`,
      [created.id],
    );
    expect(audit.rows.map((r) => [r.actor, r.details.from, r.details.to])).toEqual([
      [admin, null, support],
      [support, support, null],
    ]);
  });
});

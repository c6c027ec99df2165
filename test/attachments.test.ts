import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { quantityField } from "~/modules/returns/schemas";
import { unreturnedShippedLine } from "~/modules/returns/test-support";
import { EXE, PDF, PNG } from "~/modules/attachments/test-files";
import { request, signIn } from "./support/portal";

/**
 * Through the production build: files posted with the ticket and return forms as a browser sends
 * them (multipart), shown on the pages, downloaded byte for byte; another account's contact, a
 * contact outside the record's location and every contact for a staff note's file get 404.
 */

function multipart(fields: Record<string, string>, files: [string, Uint8Array][] = []): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  for (const [name, bytes] of files) body.append("files", new File([new Uint8Array(bytes)], name, { type: "application/octet-stream" }));
  return body;
}

const attachmentIds = (html: string, base = "/attachments/") => [...html.matchAll(new RegExp(`href="${base}([0-9a-f-]{36})\\?download=1"`, "g"))].map((m) => m[1]);

describe("attachments over HTTP", () => {
  it("a buyer opens a ticket with a photo and a PDF: refused .exe keeps the typed text; thread lists them; bytes come back; others get 404", async () => {
    const db = await getDb();
    const buyer = await signIn("buyer@kessler.example");
    const foreign = await signIn("buyer@nordhavn.example");
    const viewer = await signIn("viewer@kessler.example");
    // An order of Kessler at a location the location-restricted viewer does not have.
    const { rows } = await db.query<{ number: string }>(
      `SELECT o.number FROM sales_orders o JOIN accounts a ON a.id = o.account_id
        WHERE a.number = '10001' AND o.location_id IS NOT NULL
          AND o.location_id NOT IN (SELECT ml.location_id FROM membership_locations ml JOIN memberships m ON m.id = ml.membership_id JOIN users u ON u.id = m.user_id WHERE u.email = 'viewer@kessler.example')
        LIMIT 1`,
    );
    const fields = { clientMutationId: crypto.randomUUID(), subject: "Ware beschädigt angekommen", category: "delivery", priority: "high", message: "Karton eingedrückt, Fotos anbei.", related: rows[0].number };

    const refused = await request("/support/new", { cookie: buyer, multipart: multipart(fields, [["lieferschein.pdf", EXE]]) });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Ware beschädigt angekommen"); // kept
    expect(html).toContain("Karton eingedrückt, Fotos anbei.");
    expect(html).toMatch(/Anhänge: „lieferschein\.pdf“ wird nicht angenommen: der Inhalt ist application\/x-msdownload \(\.exe\)/); // Kessler's buyer reads German

    const created = await request("/support/new", { cookie: buyer, multipart: multipart(fields, [["schaden.png", PNG], ["lieferschein.pdf", PDF]]) });
    expect(created.status).toBe(302);
    const ticketPath = (created.headers.get("location") ?? "").replace(/\?.*$/, "");
    const page = await (await request(ticketPath, { cookie: buyer })).text();
    expect(page).toContain("schaden.png");
    expect(page).toContain("lieferschein.pdf");
    const ids = attachmentIds(page);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const download = await request(`/attachments/${id}?download=1`, { cookie: buyer });
      expect(download.status).toBe(200);
      expect(download.headers.get("x-content-type-options")).toBe("nosniff");
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(bytes.equals(PNG) || bytes.equals(PDF)).toBe(true);
      expect((await request(`/attachments/${id}`, { cookie: foreign })).status).toBe(404);
      expect((await request(`/attachments/${id}`, { cookie: viewer })).status).toBe(404);
      expect((await request(`/admin/attachments/${id}`, { cookie: buyer })).status).toBe(404);
    }
    expect((await request(`/attachments/${crypto.randomUUID()}`, { cookie: buyer })).status).toBe(404);

    // A reply with a file.
    const reply = await request(ticketPath, { cookie: buyer, multipart: multipart({ intent: "reply", clientMutationId: crypto.randomUUID(), body: "Noch ein Foto" }, [["detail.png", PNG]]) });
    expect(reply.status).toBe(200);
    expect(attachmentIds(await (await request(ticketPath, { cookie: buyer })).text())).toHaveLength(3);

    // Staff: an internal note with a file (contacts: 404), a public answer with a label (contacts: 200).
    const staff = await signIn("support@brandt-soehne.example");
    const adminPath = ticketPath.replace("/support/", "/admin/tickets/");
    expect((await request(adminPath, { cookie: staff, multipart: multipart({ body: "", status: "open" }, [["label.pdf", PDF]]) })).status).toBe(400); // a file needs an answer or note
    expect((await request(adminPath, { cookie: staff, multipart: multipart({ body: "Intern: Frachtbrief", internal: "on" }, [["frachtbrief.pdf", PDF]]) })).status).toBe(200);
    expect((await request(adminPath, { cookie: staff, multipart: multipart({ body: "Retourenlabel anbei" }, [["retourenlabel.pdf", PDF]]) })).status).toBe(200);
    const staffPage = await (await request(adminPath, { cookie: staff })).text();
    const staffIds = attachmentIds(staffPage, "/admin/attachments/");
    expect(staffIds).toHaveLength(5);
    const { rows: files } = await db.query<{ id: string; fileName: string }>(`SELECT id, file_name AS "fileName" FROM attachments WHERE id = ANY($1::uuid[])`, [staffIds]);
    const idOf = (name: string) => files.find((f) => f.fileName === name)!.id;
    expect((await request(`/admin/attachments/${idOf("frachtbrief.pdf")}`, { cookie: staff })).status).toBe(200);
    expect((await request(`/attachments/${idOf("frachtbrief.pdf")}`, { cookie: buyer })).status).toBe(404);
    expect((await request(`/attachments/${idOf("retourenlabel.pdf")}`, { cookie: buyer })).status).toBe(200);
    const contactPage = await (await request(ticketPath, { cookie: buyer })).text();
    expect(contactPage).not.toContain("frachtbrief.pdf");
    expect(contactPage).toContain("retourenlabel.pdf");
  });

  it("a return request with a photo; staff approve with a label; both on the contact's page; another account's contact and another location get 404", async () => {
    const line = await unreturnedShippedLine({ locationCode: "EBJ" });
    const buyer = await signIn("buyer@nordhavn.example");
    const fields = { clientMutationId: crypto.randomUUID(), reason: "damaged", comment: "Housing cracked", [quantityField(line.lineId)]: "1" };
    const tooLarge = new Uint8Array(11 * 1024 * 1024);
    tooLarge.set(PNG);
    const refused = await request(`/orders/${line.orderId}/return`, { cookie: buyer, multipart: multipart(fields, [["crack.png", tooLarge]]) });
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain("Housing cracked");
    expect(refusedHtml).toContain("Attachments: &quot;crack.png&quot; is 11 MB; the limit is 10 MB per file");

    const posted = await request(`/orders/${line.orderId}/return`, { cookie: buyer, multipart: multipart(fields, [["crack.png", PNG]]) });
    expect(posted.status).toBe(302);
    const path = (posted.headers.get("location") ?? "").replace(/\?.*$/, "");
    const staff = await signIn("sales@brandt-soehne.example");
    const decided = await request(path.replace("/returns/", "/admin/returns/"), { cookie: staff, multipart: multipart({ intent: "approve", note: "Label attached" }, [["label.pdf", PDF]]) });
    expect(decided.status).toBe(200);

    const page = await (await request(path, { cookie: buyer })).text();
    expect(page).toContain("crack.png");
    expect(page).toContain("label.pdf");
    const ids = attachmentIds(page);
    expect(ids).toHaveLength(2);
    for (const email of ["buyer@kessler.example", "lars.bertelsen@nordhavn.example"]) {
      const other = await signIn(email);
      for (const id of ids) expect((await request(`/attachments/${id}`, { cookie: other })).status, email).toBe(404);
    }
    const label = await request(`/attachments/${ids[1]}`, { cookie: buyer });
    expect(label.headers.get("content-disposition")).toBe(`attachment; filename="label.pdf"; filename*=UTF-8''label.pdf`);
    expect(Buffer.from(await label.arrayBuffer()).equals(PDF)).toBe(true);
  });
});

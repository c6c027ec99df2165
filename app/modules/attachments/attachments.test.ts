import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { scopeOf } from "~/modules/access/test-support";
import { requestReturn } from "~/modules/returns/request.server";
import { unreturnedShippedLine } from "~/modules/returns/test-support";
import { getReturnRequest } from "~/modules/returns/returns.server";
import { decideReturnRequest, getReturnRequestForStaff } from "~/modules/returns/staff.server";
import { answerTicket, getTicketForStaff } from "~/modules/support/staff.server";
import { createTicket, getTicket } from "~/modules/support/ticket.server";
import { attachmentResponse, contentDisposition, getAttachment, getAttachmentForStaff } from "./attachments.server";
import { MAX_ATTACHMENT_BYTES } from "./limits";
import { EXE, PDF, PNG } from "./test-files";
import { checkAttachments, cleanFileName, readFormWithAttachments, readUploadForm, type CheckedAttachment } from "./upload.server";

const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic"), Buffer.from([0, 0, 0, 0]), Buffer.from("mif1heic"), Buffer.alloc(32, 0)]);
const ZIP = Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(60, 0)]);

const file = (fileName: string, bytes: Buffer) => ({ fileName, bytes: new Uint8Array(bytes), byteSize: bytes.byteLength });

function multipart(fields: Record<string, string>, files: { name: string; bytes: Uint8Array; type?: string }[]): Request {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  for (const f of files) body.append("files", new File([new Uint8Array(f.bytes)], f.name, { type: f.type ?? "application/octet-stream" }));
  return new Request("http://portal.test/support/new", { method: "POST", body });
}

async function checked(...files: [string, Buffer][]): Promise<CheckedAttachment[]> {
  const result = await checkAttachments({ files: files.map(([name, bytes]) => file(name, bytes)), fileCount: files.length });
  if (!result.ok) throw new Error(result.error);
  return result.files;
}

describe("attachment checks (limits and sniffed types)", () => {
  it("accepts images, PDF, text and CSV by their content, whatever the browser claimed", async () => {
    const files = await checked(["schaden.png", PNG], ["lieferschein.PDF", PDF], ["IMG_0042.HEIC", HEIC], ["zählung.csv", Buffer.from("Artikel;Menge\nÄ-1;3\n", "latin1")], ["notiz", Buffer.from("Karton eingedrückt\r\n")]);
    expect(files.map((f) => [f.fileName, f.mediaType])).toEqual([
      ["schaden.png", "image/png"], ["lieferschein.PDF", "application/pdf"], ["IMG_0042.HEIC", "image/heic"], ["zählung.csv", "text/csv"], ["notiz", "text/plain"],
    ]);
  });

  it("refuses an .exe renamed .pdf, a PNG named .pdf, a ZIP, an unknown binary and an empty file, each named with its reason", async () => {
    const result = await checkAttachments({
      files: [file("lieferschein.pdf", EXE), file("foto.pdf", PNG), file("fotos.zip", ZIP), file("daten.bin", Buffer.from([0, 1, 2, 3, 250, 251])), file("leer.txt", Buffer.alloc(0))],
      fileCount: 5,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.split("; ")).toEqual([
      expect.stringMatching(/^"lieferschein\.pdf" is not accepted: its content is application\/x-msdownload \(\.exe\)/),
      `"foto.pdf" is named .pdf but its content is a PNG image`,
      expect.stringMatching(/^"fotos\.zip" is not accepted: its content is application\/zip \(\.zip\)/),
      expect.stringMatching(/^"daten\.bin" is not accepted: its content is none of/),
      `"leer.txt" is empty`,
    ]);
  });

  it("reads a multipart form streamed: more than 5 files or one over 10 MB is refused by name, and every text field stays", async () => {
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 2.5 * 1024 * 1024);
    big.set(PNG);
    const tooBig = await readFormWithAttachments(multipart({ subject: "Bruch", message: "Siehe Fotos" }, [{ name: "gross.png", bytes: big }, { name: "klein.png", bytes: PNG }]));
    expect(tooBig.fileError).toBe(`"gross.png" is 12.5 MB; the limit is 10 MB per file`);
    expect(Object.fromEntries([...tooBig.form.entries()])).toEqual({ subject: "Bruch", message: "Siehe Fotos" });

    const six = Array.from({ length: 6 }, (_, i) => ({ name: `foto-${i}.png`, bytes: PNG }));
    const tooMany = await readUploadForm(multipart({ subject: "Bruch" }, six));
    expect(tooMany.files).toHaveLength(5); // the sixth is only counted
    expect(tooMany.fileCount).toBe(6);
    expect(await checkAttachments(tooMany)).toEqual({ ok: false, error: "must be at most 5 files (6 were chosen)" });

    // The browser's empty file input (no file chosen) is no file; a urlencoded form has none.
    const none = await readFormWithAttachments(multipart({ subject: "x" }, [{ name: "", bytes: new Uint8Array(0) }]));
    expect(none).toMatchObject({ files: [], fileError: null });
    const plain = await readFormWithAttachments(
      new Request("http://portal.test/x", { method: "POST", body: new URLSearchParams({ a: "1" }), headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    );
    expect(plain.form.get("a")).toBe("1");
    const noBoundary = new Request("http://portal.test/x", { method: "POST", body: "x", headers: { "Content-Type": "multipart/form-data" } });
    await expect(readUploadForm(noBoundary)).rejects.toMatchObject({ status: 400 });
    const hugeText = multipart({ message: "x".repeat(200 * 1024) }, []);
    await expect(readUploadForm(hugeText)).rejects.toMatchObject({ status: 413 });
  });

  it("cleans file names and sends them back safely encoded", () => {
    expect(cleanFileName("C:\\Users\\me\\Schaden \"vorne\".jpg")).toBe("Schaden _vorne_.jpg");
    expect(cleanFileName("../../.env")).toBe("env");
    expect(cleanFileName("a\u0000b\nc.txt")).toBe("a_b_c.txt");
    expect(cleanFileName(`${"x".repeat(300)}.pdf`)).toMatch(/^x{251}\.pdf$/);
    expect(contentDisposition("attachment", "Lieferschein Müller (2).pdf")).toBe(
      `attachment; filename="Lieferschein Muller (2).pdf"; filename*=UTF-8''Lieferschein%20M%C3%BCller%20%282%29.pdf`,
    );
    expect(contentDisposition("inline", "日本.png")).toBe(`inline; filename="__.png"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.png`);
  });
});

async function userId(email: string) {
  const { rows } = await (await getDb()).query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  return rows[0].id;
}

describe("attachments of tickets and return requests", () => {
  it("a ticket's files: stored, in the thread, in the webhook event without bytes; scoped like the ticket; a staff note's files never reach contacts", async () => {
    const db = await getDb();
    const buyer = await scopeOf("buyer@kessler.example");
    const viewer = await scopeOf("viewer@kessler.example");
    const foreign = await scopeOf("buyer@nordhavn.example");
    // An order of Kessler at a location the location-restricted viewer does not have.
    const { rows: orders } = await db.query<{ number: string }>(
      `SELECT o.number FROM sales_orders o JOIN accounts a ON a.id = o.account_id
        WHERE a.number = '10001' AND o.location_id IS NOT NULL AND NOT (o.location_id = ANY($1::uuid[])) LIMIT 1`,
      [viewer.locationIds],
    );
    const files = await checked(["schaden.png", PNG], ["lieferschein.pdf", PDF]);
    const created = await createTicket(
      buyer,
      { clientMutationId: crypto.randomUUID(), subject: "Ware beschädigt", category: "delivery", priority: "high", message: "Fotos anbei.", related: orders[0].number },
      {},
      files,
    );
    if (!created.ok) throw new Error("not created");
    const ticket = await getTicket(buyer, created.id);
    const attachments = ticket?.messages[0].attachments ?? [];
    expect(attachments.map((a) => [a.fileName, a.mediaType, a.byteSize, a.fromSupplier])).toEqual([
      ["lieferschein.pdf", "application/pdf", PDF.byteLength, false],
      ["schaden.png", "image/png", PNG.byteLength, false],
    ]);
    const { rows: events } = await db.query<{ data: { attachments: unknown[] } }>(`SELECT data FROM webhook_events WHERE entity_id = $1 AND type = 'ticket.created'`, [created.id]);
    expect(events[0].data.attachments).toEqual(
      expect.arrayContaining([
        { id: expect.any(String), name: "schaden.png", type: "image/png", size: PNG.byteLength },
        { id: expect.any(String), name: "lieferschein.pdf", type: "application/pdf", size: PDF.byteLength },
      ]),
    );
    expect(JSON.stringify(events[0].data)).not.toContain(PNG.toString("base64").slice(0, 20));

    const png = attachments.find((a) => a.mediaType === "image/png")!;
    const found = await getAttachment(buyer, png.id);
    expect(found).toMatchObject({ fileName: "schaden.png", mediaType: "image/png" });
    expect(await getAttachment(foreign, png.id)).toBeNull(); // another account
    expect(await getAttachment(viewer, png.id)).toBeNull(); // another location
    expect(await getAttachment(buyer, "not-a-uuid")).toBeNull();

    const inline = await attachmentResponse(new Request("http://portal.test/a"), found!);
    expect(inline.headers.get("content-type")).toBe("image/png");
    expect(inline.headers.get("content-disposition")).toMatch(/^inline; filename="schaden\.png"/);
    expect(inline.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await inline.arrayBuffer()).equals(PNG)).toBe(true);
    const forced = await attachmentResponse(new Request("http://portal.test/a?download=1"), found!);
    expect(forced.headers.get("content-disposition")).toMatch(/^attachment; /);
    const pdf = await getAttachment(buyer, attachments.find((a) => a.mediaType === "application/pdf")!.id);
    expect((await attachmentResponse(new Request("http://portal.test/a"), pdf!)).headers.get("content-disposition")).toMatch(/^attachment; filename="lieferschein\.pdf"/);

    // Staff: a note with a file (contacts never), an answer with a return label (contacts see it).
    const support = await userId("support@brandt-soehne.example");
    await answerTicket({ userId: support }, created.id, { body: "Intern: Spediteur haftet", internal: true, status: undefined }, {}, await checked(["frachtbrief.pdf", PDF]));
    await answerTicket({ userId: support }, created.id, { body: "Retourenlabel anbei.", internal: false, status: undefined }, {}, await checked(["label.txt", Buffer.from("RMA label\n")]));
    const staffView = await getTicketForStaff(created.id);
    const note = staffView!.messages.find((m) => m.isInternal)!.attachments[0];
    expect(note.fileName).toBe("frachtbrief.pdf");
    expect(await getAttachment(buyer, note.id)).toBeNull();
    expect(await getAttachmentForStaff(note.id)).toMatchObject({ fileName: "frachtbrief.pdf" });
    const contactView = await getTicket(buyer, created.id);
    expect(contactView!.messages.flatMap((m) => m.attachments.map((a) => a.fileName))).toEqual(["lieferschein.pdf", "schaden.png", "label.txt"]);
    const label = contactView!.messages[1].attachments[0];
    expect(label).toMatchObject({ fromSupplier: true, mediaType: "text/plain" });
    expect(await getAttachment(buyer, label.id)).not.toBeNull();
    const { rows: noteEvents } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_events WHERE entity_id = $1 AND data::text LIKE '%frachtbrief%'`, [created.id]);
    expect(noteEvents[0].n).toBe(0);
  });

  it("a return request's photos and staff's return label: on the request for contacts in scope, in both webhook events", async () => {
    const db = await getDb();
    const line = await unreturnedShippedLine({ accountNumber: "10001" });
    const buyer = await scopeOf("buyer@kessler.example");
    const foreign = await scopeOf("buyer@nordhavn.example");
    const requested = await requestReturn(
      buyer,
      { orderId: line.orderId, clientMutationId: crypto.randomUUID(), reason: "damaged", comment: "Gehäuse gerissen", lines: [{ orderLineId: line.lineId, thousandths: 1000 }] },
      {},
      await checked(["riss.png", PNG]),
    );
    if (!requested.ok) throw new Error("not requested");
    const sales = await userId("sales@brandt-soehne.example");
    const decided = await decideReturnRequest({ userId: sales }, { returnId: requested.id, intent: "approve", note: "Label anbei" }, {}, await checked(["retourenlabel.pdf", PDF]));
    expect(decided).toMatchObject({ ok: true, status: "approved" });

    const seen = await getReturnRequest(buyer, requested.id);
    expect(seen!.attachments.map((a) => [a.fileName, a.fromSupplier])).toEqual([["riss.png", false], ["retourenlabel.pdf", true]]);
    expect((await getReturnRequestForStaff(requested.id))!.attachments).toHaveLength(2);
    for (const a of seen!.attachments) {
      expect(await getAttachment(buyer, a.id)).not.toBeNull();
      expect(await getAttachment(foreign, a.id)).toBeNull();
    }
    const { rows: events } = await db.query<{ type: string; names: string[] }>(
      `SELECT type, (SELECT array_agg(x ->> 'name') FROM jsonb_array_elements(data -> 'attachments') x) AS names FROM webhook_events WHERE entity_id = $1 ORDER BY occurred_at`,
      [requested.id],
    );
    expect(events).toEqual([{ type: "return.requested", names: ["riss.png"] }, { type: "return.approved", names: ["retourenlabel.pdf"] }]);
  });
});

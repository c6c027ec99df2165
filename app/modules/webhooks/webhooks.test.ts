import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { setContactStatus } from "~/modules/contacts/contacts.server";
import { findEntity } from "~/modules/erp/entities/registry";
import { ingestRecords } from "~/modules/erp/ingest/ingest.server";
import { startRun } from "~/modules/erp/runs.server";
import { dispatchPending, retryDelivery, type RetryOptions } from "./dispatch.server";
import { createEndpoint } from "./endpoints.server";
import { emitWebhookEvent } from "./events.server";
import { verifySignature } from "./sign";

interface Received {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const FAST: RetryOptions = { retries: 3, minTimeout: 10, maxTimeout: 30, timeoutMs: 2_000 };
let server: Server;
let url: string;
const received: Received[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  // The ERP's receiver: fails while failuresLeft > 0, then answers 204.
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const status = failuresLeft > 0 ? 500 : 204;
      if (failuresLeft > 0) failuresLeft--;
      received.push({ status, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/erp/webhooks`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function kesslerContact(email: string) {
  const db = await getDb();
  const { rows } = await db.query<{ userId: string; accountId: string; adminId: string }>(
    `SELECT u.id AS "userId", m.account_id AS "accountId", (SELECT id FROM users WHERE email = 'admin@kessler.example') AS "adminId"
       FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
      WHERE u.email = $1 AND a.number = '10001'`,
    [email],
  );
  return rows[0];
}

describe("outbound webhooks", () => {
  it("delivers a contact change exactly once, signed, to a receiver that fails twice first", async () => {
    const db = await getDb();
    const { id: endpointId, secret } = await createEndpoint(db, { name: "ERP", url, events: ["contact.*"], enabled: true }, null);
    const contact = await kesslerContact("buyer@kessler.example");
    failuresLeft = 2;
    received.length = 0;

    // A contact admin disables a colleague in the portal (the team page's action).
    await setContactStatus({ userId: contact.adminId, name: "Kessler admin", ip: null, userAgent: null }, contact.accountId, contact.userId, "disabled");

    const outcome = await dispatchPending(db, { retry: FAST });
    expect(Object.values(outcome)).toEqual(["succeeded"]);
    expect(received.map((r) => r.status)).toEqual([500, 500, 204]);
    const eventIds = new Set(received.map((r) => r.headers["ledgerlight-event-id"]));
    expect(eventIds.size).toBe(1);
    expect(new Set(received.map((r) => r.body)).size).toBe(1); // every retry sends the same bytes
    for (const r of received) expect(verifySignature(secret, r.headers["ledgerlight-signature"] as string, r.body)).toBe(true);
    expect(verifySignature("whsec_wrong", received[2].headers["ledgerlight-signature"] as string, received[2].body)).toBe(false);

    const event = JSON.parse(received[2].body);
    expect(event).toMatchObject({
      type: "contact.disabled",
      account: { erpId: "0000010001", number: "10001" },
      contact: { email: "buyer@kessler.example", status: "disabled", role: "buyer", erpId: expect.any(String) },
    });
    expect(event.data.ip).toBeUndefined();

    // Nothing more goes out: the delivery is done.
    expect(await dispatchPending(db, { retry: FAST })).toEqual({});
    expect(received).toHaveLength(3);
    const delivery = await db.query(`SELECT status, attempts FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId]);
    expect(delivery.rows).toEqual([{ status: "succeeded", attempts: 3 }]);
    const attempts = await db.query(
      `SELECT a.attempt, a.status_code FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = $1 ORDER BY a.attempt`,
      [endpointId],
    );
    expect(attempts.rows).toEqual([
      { attempt: 1, status_code: 500 },
      { attempt: 2, status_code: 500 },
      { attempt: 3, status_code: 204 },
    ]);
    await db.query(`UPDATE webhook_endpoints SET enabled = false WHERE id = $1`, [endpointId]);
  });

  it("keeps retrying later when the quick retries are spent", async () => {
    const db = await getDb();
    const { id: endpointId } = await createEndpoint(db, { name: "Flaky", url, events: ["quote.*"], enabled: true }, null);
    failuresLeft = 10;
    received.length = 0;
    await db.transaction((tx) => emitWebhookEvent(tx, { type: "quote.accepted", data: { number: "QT-1" } }));
    expect(Object.values(await dispatchPending(db, { retry: FAST }))).toEqual(["pending"]);
    expect(received).toHaveLength(4);
    const later = await db.query<{ status: string; due_later: boolean }>(
      `SELECT status, next_attempt_at > now() AS due_later FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpointId],
    );
    expect(later.rows[0]).toEqual({ status: "pending", due_later: true });
    failuresLeft = 0;
    const [{ id: deliveryId }] = (await db.query<{ id: string }>(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId])).rows;
    // "Retry now" leaves a delivery a dispatcher holds alone (it would go out twice), and releases it once the lease ran out.
    await db.query(`UPDATE webhook_deliveries SET claimed_until = now() + interval '1 minute' WHERE id = $1`, [deliveryId]);
    expect(await retryDelivery(db, deliveryId)).toBe("sending");
    expect(await dispatchPending(db, { retry: FAST })).toEqual({});
    await db.query(`UPDATE webhook_deliveries SET claimed_until = now() - interval '1 second' WHERE id = $1`, [deliveryId]);
    expect(await retryDelivery(db, deliveryId)).toBe("queued");
    expect(await dispatchPending(db, { retry: FAST })).toEqual({ [deliveryId]: "succeeded" });
    expect(await retryDelivery(db, deliveryId)).toBe("not_found");
    await db.query(`UPDATE webhook_endpoints SET enabled = false WHERE id = $1`, [endpointId]);
  });

  it("sends e-invoice downloads, not other downloads, and never echoes the ERP's own changes", async () => {
    const db = await getDb();
    const { id: endpointId } = await createEndpoint(db, { name: "All", url, events: ["*"], enabled: true }, null);
    const contact = await kesslerContact("finance@kessler.example");
    await recordAuditEvent(db, { action: "document.download", actorUserId: contact.userId, accountId: contact.accountId, entityType: "invoice", entityId: "x", details: { format: "xrechnung-ubl", ip: "10.1.1.1" } });
    await recordAuditEvent(db, { action: "document.download", actorUserId: contact.userId, accountId: contact.accountId, entityType: "invoice", entityId: "x", details: { format: "pdf" } });
    await recordAuditEvent(db, { action: "auth.login", actorUserId: contact.userId });
    const runId = await startRun(db, { source: "api", entity: "contacts" });
    const erpChange = await ingestRecords(db, findEntity("contacts")!, [{ value: { erpId: "AP-HOOK", erpVersion: 1, email: "hook@kessler.example", name: "Hook Test", memberships: [{ accountErpId: "0000010001", role: "viewer" }] } }], { runId, source: "api" });
    expect(erpChange.results[0].status).toBe("accepted");
    const types = await db.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT v.type, v.data FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id WHERE d.endpoint_id = $1`,
      [endpointId],
    );
    expect(types.rows).toEqual([{ type: "einvoice.downloaded", data: { format: "xrechnung-ubl" } }]);
  });
});

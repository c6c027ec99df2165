import { describe, expect, it } from "vitest";
import { SnapshotBody } from "./snapshot.server";

/** What the slabs must hold: every message as UTF-8 followed by a comma, nothing else. */
function expected(messages: string[]): Buffer {
  return Buffer.from(messages.map((m) => `${m},`).join(""));
}

function written(messages: string[]): { bytes: Buffer; body: SnapshotBody } {
  const body = new SnapshotBody();
  for (const message of messages) body.add(message);
  body.finish();
  return { bytes: Buffer.concat(body.parts), body };
}

describe("SnapshotBody", () => {
  it("is empty without messages", () => {
    const { body } = written([]);
    expect(body.parts).toEqual([]);
    expect(body.byteLength).toBe(0);
  });

  it("writes each message as UTF-8 with a comma, across slab boundaries", () => {
    // ~1.3 KB each, multi-byte characters and a surrogate pair: many messages end near a slab's end.
    const messages = Array.from({ length: 3000 }, (_, i) => `{"key":"${i}","value":{"name":"Müller € 😀 ${"x".repeat(i % 997)}"}}`.repeat(3));
    const { bytes, body } = written(messages);
    expect(body.parts.length).toBeGreaterThan(1);
    expect(body.byteLength).toBe(bytes.length);
    expect(bytes.equals(expected(messages))).toBe(true);
  });

  it("gives a message larger than a slab a slab of its own", () => {
    const messages = ["a", "é".repeat(700_000), "b"];
    const { bytes, body } = written(messages);
    expect(body.byteLength).toBe(bytes.length);
    expect(bytes.equals(expected(messages))).toBe(true);
  });
});

import { afterAll, inject } from "vitest";
import { createTestDatabase } from "./databases";

// Each test file gets its own copy of the seeded template, so files run in parallel without
// seeing each other's writes. The app's getDb() reads DATABASE_URL on first use.
const label = (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__?.filepath?.split("/").pop() ?? "file";
const database = await createTestDatabase(inject("templateDatabase"), label);
process.env.DATABASE_URL = database.url;
process.env.NODE_ENV = "test";
process.env.DATA_DIR ??= `.data/test-${process.pid}`;
process.env.SESSION_SECRET ??= "vitest-session-secret-0123456789abcdef";

afterAll(async () => {
  const holder = globalThis as typeof globalThis & { __ledgerlightDb?: Promise<{ close: () => Promise<void> }> };
  if (holder.__ledgerlightDb) await (await holder.__ledgerlightDb).close();
  await database.drop();
});

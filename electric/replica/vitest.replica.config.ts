import { defineConfig } from "vitest/config";

/**
 * The replica's tests need no Postgres (SQLite WASM in memory), so they can run without the
 * repository's global setup: `npx vitest run --config electric/replica/vitest.replica.config.ts`.
 * The main config (vitest.config.ts) runs them too, as part of `npm run test:unit`.
 */
export default defineConfig({
  test: {
    include: ["electric/replica/**/*.test.ts"],
    // Compares the replica with the server's queries: needs Postgres and the server build (main config).
    exclude: ["electric/replica/portal-queries.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});

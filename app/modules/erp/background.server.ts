import { Cron } from "croner";
import { getDb } from "~/db/connection.server";
import { startWebhookDispatcher } from "~/modules/webhooks/dispatch.server";
import { runSqlPull } from "./sql/pull.server";
import { listSources } from "./sql/sources.server";

/**
 * The ERP connectivity's background work in the app process: scheduled SQL pulls (croner, one job
 * per enabled source with a schedule) and the webhook dispatcher (wakes on NOTIFY, sweeps for
 * retries). Started once at boot (bootPortal); the admin pages reschedule after a source changes.
 */

const globalForErp = globalThis as typeof globalThis & { __ledgerlightErp?: { jobs: Map<string, Cron>; stopDispatcher: () => Promise<void> } };

export async function scheduleSqlSources(): Promise<void> {
  const state = globalForErp.__ledgerlightErp;
  if (!state) return; // not started in this process (tests, CLI): pulls run on demand only
  for (const job of state.jobs.values()) job.stop();
  state.jobs.clear();
  const db = await getDb();
  for (const source of await listSources(db)) {
    if (!source.enabled || !source.schedule) continue;
    const job = new Cron(source.schedule, { protect: true, name: `erp-sql-${source.id}` }, async () => {
      const result = await runSqlPull(source.id, { trigger: "schedule" });
      if (result.status === "failed") console.error(`ERP SQL pull "${source.name}" failed: ${result.message}`);
    });
    state.jobs.set(source.id, job);
  }
}

/** Starts scheduled pulls and webhook delivery; returns stop(). Calling it twice is harmless. */
export async function startErpBackground(): Promise<() => Promise<void>> {
  if (!globalForErp.__ledgerlightErp) {
    const db = await getDb();
    globalForErp.__ledgerlightErp = { jobs: new Map(), stopDispatcher: await startWebhookDispatcher(db) };
    await scheduleSqlSources();
  }
  return async () => {
    const state = globalForErp.__ledgerlightErp;
    if (!state) return;
    globalForErp.__ledgerlightErp = undefined;
    for (const job of state.jobs.values()) job.stop();
    await state.stopDispatcher();
  };
}

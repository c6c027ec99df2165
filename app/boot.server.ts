import { getConfig } from "./config.server";
import { getDb } from "./db/connection.server";
import { startDigestBackground } from "./modules/digest/digest.server";
import { startErpBackground } from "./modules/erp/background.server";
import { startMailBackground } from "./modules/mail/queue.server";
import { DEMO_LOGINS, DEMO_PASSWORD, isSeeded, seedDemo } from "../db/seed/seed";
import { setChangeCaptureMode } from "../electric/server/capture-mode.server";

/**
 * Runs once before the HTTP server listens: opens and migrates the database, seeds the demo data
 * where configured, and prints how to sign in.
 */
export async function bootPortal(): Promise<{ seeded: boolean; stop: () => Promise<void> }> {
  const config = getConfig();
  const db = await getDb();
  const seedWanted = config.SEED_DEMO === "always" || (config.SEED_DEMO === "auto" && db.kind === "pglite");
  let seeded = false;
  if (seedWanted && !(await isSeeded(db))) {
    const started = Date.now();
    console.log("Seeding demo data (first start)…");
    await seedDemo(db);
    console.log(`Demo data seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    seeded = true;
  }
  if (await isSeeded(db)) printDemoLogins(config.publicUrl);
  // Real Electric reads the WAL itself: the built-in engine's change capture goes off (decision 036).
  const capture = await setChangeCaptureMode(db, config.ELECTRIC_URL ? "electric" : "built-in");
  if (capture.changed) {
    console.log(
      config.ELECTRIC_URL
        ? `Shapes come from Electric at ${config.ELECTRIC_URL}: the built-in change capture is off on ${capture.tables} tables.`
        : `The built-in shape engine serves again: change capture is back on ${capture.tables} tables; browsers take a fresh snapshot.`,
    );
  }
  // Scheduled SQL pulls and webhook delivery to the ERP.
  const stopErp = await startErpBackground();
  // The notification mail queue's sender (decision 032); it resumes mails a previous run left pending.
  const stopMail = await startMailBackground();
  // Contacts' digests of new documents (decision 039), queued for the sender above every 15 minutes.
  const stopDigest = await startDigestBackground();
  // On shutdown, the mails being sent get up to 10 s; whatever is left goes out after the next start.
  const stop = async () => {
    await stopErp();
    await stopDigest();
    await Promise.race([stopMail(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  };
  return { seeded, stop };
}

function printDemoLogins(publicUrl: string) {
  const width = Math.max(...DEMO_LOGINS.map((login) => login.email.length));
  console.log(`\nDemo logins for ${publicUrl}/login (password for all: ${DEMO_PASSWORD})`);
  for (const login of DEMO_LOGINS) {
    console.log(`  ${login.email.padEnd(width)}  ${login.role.padEnd(14)} ${login.note}`);
  }
  console.log("");
}

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { createTestDatabase, ensureTemplateDatabase } from "../../test/support/databases";
import { E2E_PORT } from "../../playwright.config";

export const MAIL_DIR = path.resolve("e2e/.mail");

/**
 * One portal process for the e2e run: a private copy of the seeded template database, and a real
 * SMTP server in this process that drops every received message into e2e/.mail/ for the specs.
 */
export default async function globalSetup() {
  if (!existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) {
    throw new Error("Chromium not found at /usr/bin/chromium. Install it: apt-get install -y chromium");
  }
  if (!existsSync("build/index.js")) throw new Error("No server build: run `npm run build` before the e2e tests.");
  const database = await createTestDatabase(await ensureTemplateDatabase(), "e2e");
  // Workers inherit the environment set here: specs compare the pages with this database.
  process.env.E2E_DATABASE_URL = database.url;

  await rm(MAIL_DIR, { recursive: true, force: true });
  await mkdir(MAIL_DIR, { recursive: true });
  let received = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received += 1;
        writeFile(path.join(MAIL_DIR, `${Date.now()}-${received}.eml`), Buffer.concat(chunks)).then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as { port: number }).port;

  const dataDir = path.resolve(".data/e2e");
  await rm(dataDir, { recursive: true, force: true });
  const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: String(E2E_PORT),
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      SESSION_SECRET: "e2e-session-secret-0123456789abcdefghij",
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PUBLIC_URL: `http://localhost:${E2E_PORT}`,
      SEED_DEMO: "never",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  await waitForHealthy(`http://localhost:${E2E_PORT}/healthz`, server, () => output);

  return async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await database.drop();
  };
}

async function waitForHealthy(url: string, server: ReturnType<typeof spawn>, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The portal exited during start-up:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The portal did not become healthy within 60 s:\n${output()}`);
}

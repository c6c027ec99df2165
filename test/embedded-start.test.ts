import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

/**
 * What a fresh clone does with the README's first command, after its `npm ci` and build: start the
 * server with no configuration at all. It must create PGlite in the data directory, migrate, seed,
 * print the demo logins, and accept the printed login.
 */
const dataDir = await mkdtemp(path.join(tmpdir(), "ledgerlight-embedded-"));
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: "0", NODE_ENV: "development" };
const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
let output = "";
server.stdout.on("data", (chunk) => (output += chunk));
server.stderr.on("data", (chunk) => (output += chunk));

afterAll(async () => {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  await rm(dataDir, { recursive: true, force: true });
});

async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = output.match(pattern);
    if (match) return match;
    if (server.exitCode !== null) throw new Error(`server exited:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${pattern}:\n${output}`);
}

it("starts on PGlite with no env, seeds, prints demo logins, and the printed login works", { timeout: 240_000 }, async () => {
  const [, port] = await waitFor(/listening on http:\/\/localhost:(\d+)/, 230_000);
  expect(output).toContain("Demo logins");
  const [, password] = output.match(/password for all: (\S+)\)/)!;
  const [, email] = output.match(/^\s+(buyer@kessler\.example)\s/m)!;
  expect(await readdir(path.join(dataDir, "pglite"))).toContain("PG_VERSION");

  const base = `http://localhost:${port}`;
  const health = await (await fetch(`${base}/healthz`)).json();
  expect(health).toEqual({ ok: true, database: "pglite" });
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ email, password }),
  });
  expect(login.status).toBe(302);
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const overview = await fetch(`${base}/overview`, { headers: { Cookie: cookie } });
  expect(overview.status).toBe(200);
  expect(await overview.text()).toContain("Kessler Haustechnik GmbH");
});

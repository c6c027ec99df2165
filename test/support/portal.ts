import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";

export const DEMO_PASSWORD = "ledgerlight-demo";
const ORIGIN = "http://portal.test";

type Handler = (request: Request, context: { clientIp: string }) => Promise<Response>;
let handler: Handler | undefined;
let build: ServerBuild | undefined;

/** The production server build, run in-process: every request goes through the real routes. */
export async function loadBuild(): Promise<ServerBuild> {
  const file = path.resolve("build/index.js");
  if (!existsSync(file)) throw new Error("No server build at build/index.js: run `npm run build` first (npm test does).");
  build ??= (await import(pathToFileURL(file).href)) as ServerBuild;
  return build;
}

async function getHandler(): Promise<Handler> {
  handler ??= createRequestHandler(await loadBuild(), "production") as unknown as Handler;
  return handler;
}

export interface PortalRequest {
  method?: string;
  cookie?: string;
  form?: Record<string, string>;
  /** A multipart body (file uploads); the runtime sets its Content-Type with the boundary. */
  multipart?: FormData;
  ip?: string;
}

export async function request(pathname: string, options: PortalRequest = {}): Promise<Response> {
  const headers = new Headers();
  if (options.cookie) headers.set("Cookie", options.cookie);
  let body: URLSearchParams | FormData | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  if (options.multipart) body = options.multipart;
  const method = options.method ?? (options.form || options.multipart ? "POST" : "GET");
  // Remix answers same-origin form posts; a browser would send these.
  if (method !== "GET") {
    headers.set("Origin", ORIGIN);
    headers.set("Host", new URL(ORIGIN).host);
  }
  return (await getHandler())(new Request(`${ORIGIN}${pathname}`, { method, headers, body, redirect: "manual" }), {
    clientIp: options.ip ?? "10.0.0.1",
  });
}

/** Signs in through the real login action and returns the session cookie. */
export async function signIn(email: string, password = DEMO_PASSWORD, ip?: string): Promise<string> {
  const response = await request("/login", { form: { email, password }, ip });
  const setCookie = response.headers.get("set-cookie");
  if (response.status !== 302 || !setCookie) {
    throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
  }
  return setCookie.split(";")[0];
}

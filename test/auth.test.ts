import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink } from "./support/smtp";
import { request, signIn } from "./support/portal";

// The portal reads SMTP_URL once, at its first mail; point it at this file's SMTP server first.
const smtp = await startSmtpSink();
process.env.SMTP_URL = smtp.url;
afterAll(() => smtp.close());

describe("sign-in", () => {
  it("answers an unknown email and a wrong password with the same error", async () => {
    const unknown = await request("/login", { form: { email: "nobody@nowhere.example", password: "whatever-long" }, ip: "10.1.0.1" });
    const wrong = await request("/login", { form: { email: "buyer@kessler.example", password: "wrong-password" }, ip: "10.1.0.2" });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const [a, b] = await Promise.all([unknown.text(), wrong.text()]);
    expect(a).toContain("Email or password is incorrect.");
    expect(b.replace(/buyer@kessler\.example/g, "")).toContain("Email or password is incorrect.");
  });

  it("names the field and the reason for invalid input", async () => {
    const response = await request("/login", { form: { email: "not-an-email", password: "" }, ip: "10.1.0.3" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("is not a valid email address");
    expect(html).toContain("is required");
  });

  it("throttles repeated failures per email with 429 and Retry-After, even with the right password", async () => {
    const email = "finance@kessler.example";
    for (let i = 0; i < 5; i++) {
      const r = await request("/login", { form: { email, password: `wrong-${i}-password` }, ip: `10.2.0.${i}` });
      expect(r.status).toBe(401);
    }
    const blocked = await request("/login", { form: { email, password: "ledgerlight-demo" }, ip: "10.2.0.99" });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain("Too many failed sign-ins");
  });

  it("throttles one IP trying many emails", async () => {
    const ip = "10.3.0.1";
    for (let i = 0; i < 30; i++) {
      await request("/login", { form: { email: `guess${i}@kessler.example`, password: "password-guess" }, ip });
    }
    const blocked = await request("/login", { form: { email: "buyer@kessler.example", password: "ledgerlight-demo" }, ip });
    expect(blocked.status).toBe(429);
  });

  it("treats a tampered or unknown session cookie as signed out, not as an error", async () => {
    const cookie = await signIn("buyer@kessler.example");
    const ok = await request("/orders", { cookie });
    expect(ok.status).toBe(200);
    const [name, value] = cookie.split("=");
    const tampered = `${name}=${value.slice(0, -4)}AAAA`;
    for (const bad of [tampered, `${name}=garbage`, `${name}=`]) {
      const response = await request("/orders", { cookie: bad });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/login?redirectTo=%2Forders");
    }
  });

  it("ends the session at logout", async () => {
    const cookie = await signIn("buyer@kessler.example");
    const out = await request("/logout", { method: "POST", cookie, form: {} });
    expect(out.status).toBe(302);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/i);
    expect((await request("/overview", { cookie })).status).toBe(302);
  });

  it("sets an httpOnly SameSite=Lax cookie", async () => {
    const response = await request("/login", { form: { email: "buyer@kessler.example", password: "ledgerlight-demo" } });
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });
});

describe("password reset", () => {
  let oldCookie: string;
  beforeAll(async () => {
    oldCookie = await signIn("admin@kessler.example");
  });

  it("mails a single-use link over SMTP that sets a new password and ends other sessions", async () => {
    const asked = await request("/forgot-password", { form: { email: "admin@kessler.example" } });
    expect(asked.status).toBe(200);
    const mail = await smtp.waitFor("admin@kessler.example");
    expect(mail.subject).toMatch(/password|Passwort/i);
    const link = new URL(mail.text.match(/https?:\/\/\S+/)![0]);

    const mismatch = await request(link.pathname, { form: { password: "brand-new-password", confirmPassword: "other" } });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("does not match the password");

    const done = await request(link.pathname, { form: { password: "brand-new-password", confirmPassword: "brand-new-password" } });
    expect(done.status).toBe(302);
    expect((await request("/overview", { cookie: oldCookie })).status).toBe(302);
    await signIn("admin@kessler.example", "brand-new-password");

    const reused = await request(link.pathname, { form: { password: "third-password-x", confirmPassword: "third-password-x" } });
    expect(reused.status).toBe(410);
  });

  it("answers the same for an unknown email and sends nothing", async () => {
    const before = smtp.mails.length;
    const response = await request("/forgot-password", { form: { email: "nobody@nowhere.example" } });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.mails.length).toBe(before);
  });
});

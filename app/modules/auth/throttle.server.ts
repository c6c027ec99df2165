import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";

/**
 * Failed sign-ins are counted per email (guessing one account's password) and per IP (trying many
 * accounts). In-process counters: one portal process per deployment; a cluster would swap in
 * rate-limiter-flexible's Redis store with the same calls.
 */
const perEmail = new RateLimiterMemory({ keyPrefix: "login-email", points: 5, duration: 15 * 60 });
const perIp = new RateLimiterMemory({ keyPrefix: "login-ip", points: 30, duration: 15 * 60 });

export class ThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`);
  }
}

/** Throws ThrottledError when this email or IP has used up its failed attempts. */
export async function assertNotThrottled(email: string, ip: string): Promise<void> {
  const [byEmail, byIp] = await Promise.all([perEmail.get(email), perIp.get(ip)]);
  const blocked = [
    byEmail && byEmail.consumedPoints >= perEmail.points ? byEmail : null,
    byIp && byIp.consumedPoints >= perIp.points ? byIp : null,
  ].filter((r): r is RateLimiterRes => r !== null);
  if (blocked.length > 0) {
    throw new ThrottledError(Math.max(1, Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000)));
  }
}

export async function recordFailedLogin(email: string, ip: string): Promise<void> {
  await Promise.all([perEmail.penalty(email, 1), perIp.penalty(ip, 1)]);
}

export async function clearFailedLogins(email: string): Promise<void> {
  await perEmail.delete(email);
}

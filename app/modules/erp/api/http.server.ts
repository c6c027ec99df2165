import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * The HTTP edge of the ERP API: JSON error bodies, bounded body reading (413 before and while
 * reading), and a rate limit per API key (429 with Retry-After). Limits are per process: several
 * app instances each allow the key's rate.
 */

export const LIMITS = {
  /** A JSON batch body. */
  maxBodyBytes: 8 * 1024 * 1024,
  /** A multipart document upload (the file and its record). */
  maxUploadBytes: 26 * 1024 * 1024,
  /** Records in one batch. */
  maxRecords: 1000,
};

export type ApiErrorCode =
  | "missing_api_key"
  | "unknown_api_key"
  | "revoked_api_key"
  | "expired_api_key"
  | "forbidden"
  | "unknown_entity"
  | "method_not_allowed"
  | "unsupported_media_type"
  | "payload_too_large"
  | "too_many_records"
  | "rate_limited"
  | "invalid_json"
  | "invalid_request";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

/** Every error answers `{ "error": { "code", "message", "field"? } }`. */
export function jsonError(status: number, code: ApiErrorCode, message: string, extra: { field?: string; headers?: Record<string, string> } = {}): Response {
  const error: Record<string, string> = { code, message };
  if (extra.field) error.field = extra.field;
  const headers = { ...(extra.headers ?? {}) };
  if (status === 401) headers["WWW-Authenticate"] = 'Bearer realm="ledgerlight-erp"';
  return json({ error }, status, headers);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
  }
}

/** Reads the whole body, refusing (without reading further) once it exceeds `limit` bytes. */
export async function readLimitedBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const limiters = new Map<number, RateLimiterMemory>();

/** Takes one request from the key's budget; returns the seconds to wait when it is spent. */
export async function takeRateBudget(keyId: string, perMinute: number): Promise<number | null> {
  let limiter = limiters.get(perMinute);
  if (!limiter) limiters.set(perMinute, (limiter = new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: `erp-api-${perMinute}` })));
  try {
    await limiter.consume(keyId);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

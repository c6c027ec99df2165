import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id minimum (m=19 MiB, t=2, p=1): ~30 ms here, cheap enough for login, costly to brute-force.
const ARGON2ID = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

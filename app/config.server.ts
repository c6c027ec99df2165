import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url("must be a postgres:// URL").optional(),
  DATA_DIR: z.string().default(".data"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SMTP_URL: z.string().url("must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().default("Ledgerlight <portal@ledgerlight.localhost>"),
  // Where staff hear about new tickets, customer replies and return requests (decision 031).
  SUPPORT_MAIL_TO: z
    .string()
    .trim()
    .refine(
      (value) => value === "off" || value.split(",").every((address) => z.email().safeParse(address.trim()).success),
      "must be off or comma-separated email addresses, e.g. support@example.com,returns@example.com",
    )
    .optional(),
  PUBLIC_URL: z.string().url("must be the portal's external base URL, e.g. https://portal.example.com").optional(),
  SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  // Read where the snapshot is written (electric/server/snapshot-encoding.server.ts); checked here at start.
  ELECTRIC_URL: z.string().url("must be the Electric sync service's base URL, e.g. http://electric:3000").optional(),
  SYNC_COMPRESSION: z.enum(["auto", "on", "off"], { message: "must be auto, on or off" }).default("auto"),
});

export type Config = z.infer<typeof EnvSchema> & {
  dataDir: string;
  sessionSecret: string;
  publicUrl: string;
  /** SUPPORT_MAIL_TO as addresses; "off": no staff notifications; null: unset (the staff who answer get them). */
  supportMailTo: string[] | "off" | null;
};

let cached: Config | undefined;

/** Reads and validates the environment once; a bad variable stops the start with its name and the reason. */
export function getConfig(): Config {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  cached = {
    ...env,
    dataDir,
    sessionSecret: env.SESSION_SECRET ?? embeddedSessionSecret(env.NODE_ENV, dataDir),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    supportMailTo: !env.SUPPORT_MAIL_TO ? null : env.SUPPORT_MAIL_TO === "off" ? "off" : env.SUPPORT_MAIL_TO.split(",").map((a) => a.trim().toLowerCase()),
  };
  return cached;
}

// The embedded default must run with no configuration, so it keeps a generated secret beside its
// data. Production must say which secret it uses: a silently generated one would log everyone out
// on every new machine.
function embeddedSessionSecret(nodeEnv: string, dataDir: string): string {
  if (nodeEnv === "production") {
    throw new Error("SESSION_SECRET is required in production (at least 32 random characters).");
  }
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

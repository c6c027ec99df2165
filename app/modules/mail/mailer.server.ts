import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import PostalMime from "postal-mime";
import { getConfig } from "~/config.server";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** A stable Message-ID (the mail queue's row), so a mail sent again after a crash can be recognised as the same. */
  messageId?: string;
}

let transport: Transporter | undefined;

function getTransport(): Transporter {
  const config = getConfig();
  // Bounded waits: a mail server that hangs fails the attempt (and the mail queue retries it later).
  transport ??= config.SMTP_URL
    ? nodemailer.createTransport({ url: config.SMTP_URL, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 })
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return transport;
}

export function outboxDir(): string {
  return path.join(getConfig().dataDir, "outbox");
}

/**
 * Sends through SMTP_URL. Without it, the message is written to .data/outbox/ as an .eml file, so
 * the embedded default works offline and staff can read what would have been sent.
 */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const config = getConfig();
  const info = await getTransport().sendMail({ from: config.MAIL_FROM, ...mail });
  if (!config.SMTP_URL) {
    await mkdir(outboxDir(), { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const id = String(info.messageId ?? Math.random()).replace(/[^\w.-]/g, "");
    await writeFile(path.join(outboxDir(), `${stamp}_${id}.eml`), info.message as Buffer);
  }
}

export interface OutboxMessage {
  file: string;
  to: string;
  subject: string;
  date: string;
  text: string;
}

/** The newest mails written to the outbox, for staff at /admin/outbox. */
export async function listOutbox(limit = 100): Promise<OutboxMessage[]> {
  let files: string[];
  try {
    files = (await readdir(outboxDir())).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
  files.sort().reverse();
  return Promise.all(
    files.slice(0, limit).map(async (file) => {
      const parsed = await PostalMime.parse(await readFile(path.join(outboxDir(), file)));
      return {
        file,
        to: (parsed.to ?? []).map((a) => a.address ?? a.name).join(", "),
        subject: parsed.subject ?? "",
        date: parsed.date ?? "",
        text: parsed.text ?? "",
      };
    }),
  );
}

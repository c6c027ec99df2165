import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import PostalMime from "postal-mime";

const MAIL_DIR = path.resolve("e2e/.mail");

/** Waits for a mail to `to` (whose subject contains `subject`, when given) that the portal sent over SMTP to the e2e run's SMTP server. */
export async function waitForMail(to: string, timeoutMs = 10_000, subject?: string): Promise<{ subject: string; text: string }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = (await readdir(MAIL_DIR)).sort().reverse();
    for (const file of files) {
      const mail = await PostalMime.parse(await readFile(path.join(MAIL_DIR, file)));
      if (mail.to?.some((a) => a.address?.toLowerCase() === to.toLowerCase()) && (!subject || mail.subject?.includes(subject))) {
        return { subject: mail.subject ?? "", text: mail.text ?? "" };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No mail to ${to} arrived within ${timeoutMs} ms`);
}

export function firstLink(text: string): string {
  const match = text.match(/https?:\/\/\S+/);
  if (!match) throw new Error(`No link in mail:\n${text}`);
  return match[0];
}

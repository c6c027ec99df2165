import { sendMail, type OutgoingMail } from "./mailer.server";

// Mails started by sendMailsLater that have not finished yet (tests wait for them with mailsSettled).
const pending = new Set<Promise<void>>();

/**
 * Sends notification mails without holding up the action that caused them: the caller has already
 * committed its change and answers the user at once, while `compose` reads what the mails need and
 * each mail goes out on its own. A failing composition or SMTP server is logged with `label` (the
 * record's number, never a body) and does not touch the action's result; each mail fails alone.
 */
export function sendMailsLater(label: string, compose: () => Promise<OutgoingMail[]>): void {
  const task = (async () => {
    let mails: OutgoingMail[];
    try {
      mails = await compose();
    } catch (error) {
      console.error(`notification mail "${label}" not composed: ${(error as Error).message}`);
      return;
    }
    const results = await Promise.allSettled(mails.map((mail) => sendMail(mail)));
    results.forEach((result, index) => {
      if (result.status === "rejected") {
        console.error(`notification mail "${label}" to ${mails[index].to} failed: ${(result.reason as Error).message}`);
      }
    });
  })();
  pending.add(task);
  void task.finally(() => pending.delete(task));
}

/** Resolves once every mail started so far has been sent or has failed (tests, graceful shutdown). */
export async function mailsSettled(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

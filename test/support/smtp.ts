import PostalMime from "postal-mime";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
}

export interface SmtpSink {
  url: string;
  mails: ReceivedMail[];
  waitFor: (to: string) => Promise<ReceivedMail>;
  /** Refuse every recipient with 550 from now on (true) or accept again (false): a failing mail server. */
  setFailing: (failing: boolean) => void;
  /** Refuse the next `count` recipients with 550, then accept again: a mail server with a short outage. */
  failNext: (count: number) => void;
  /** Hold each message this long before accepting it: a slow mail server. */
  setDelay: (ms: number) => void;
  close: () => Promise<void>;
}

/** A real SMTP server on a free local port; collects what the portal sends. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let failing = false;
  let failuresLeft = 0;
  let delayMs = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onRcptTo(_address, _session, callback) {
      if (!failing && failuresLeft === 0) return callback();
      if (failuresLeft > 0) failuresLeft--;
      const error = new Error("Mailbox unavailable") as Error & { responseCode: number };
      error.responseCode = 550;
      callback(error);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        PostalMime.parse(Buffer.concat(chunks))
          .then(async (mail) => {
            if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
            mails.push({ to: (mail.to ?? []).map((a) => a.address ?? ""), subject: mail.subject ?? "", text: mail.text ?? "", messageId: mail.messageId ?? "" });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to) {
      for (let i = 0; i < 100; i++) {
        const found = mails.find((m) => m.to.includes(to));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no mail to ${to}`);
    },
    setFailing: (value) => {
      failing = value;
    },
    failNext: (count) => {
      failuresLeft = count;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

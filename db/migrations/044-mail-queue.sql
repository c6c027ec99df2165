-- Notification mails wait here until the mail server took them (decision 032): written in the
-- transaction of the change that causes them, drained by the mail sender in the background with
-- retries and backoff, claimed like webhook_deliveries so two portal processes never send one twice.
-- A row holds the mail itself and nothing more: recipient, language, subject, text, what it is about.
CREATE TABLE mail_queue (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind            text NOT NULL,                -- 'ticket.answered', 'staff.return.requested', …
  reference       text NOT NULL,                -- the record's number (T-1004, RMA-1002), for staff and the log
  recipient       text NOT NULL,
  language        text NOT NULL CHECK (language IN ('en', 'de')),
  subject         text NOT NULL,
  body            text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_until   timestamptz,                  -- a sender is sending it (crash-safe claim)
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX mail_queue_due_idx ON mail_queue (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_queue_created_idx ON mail_queue (created_at DESC);

-- Staff view the portal as a contact, read-only (decision 035). The impersonation lives on the
-- staff member's own session: which contact, for which account, since when (it ends by itself
-- after 60 minutes) and why. All four are set together or all are NULL.
ALTER TABLE sessions
  ADD COLUMN view_as_user_id    uuid REFERENCES users ON DELETE SET NULL,
  ADD COLUMN view_as_account_id uuid REFERENCES accounts ON DELETE SET NULL,
  ADD COLUMN view_as_started_at timestamptz,
  ADD COLUMN view_as_reason     text;

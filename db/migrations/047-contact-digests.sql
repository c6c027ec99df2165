-- A contact's digest of new documents, per membership (decision 039): no row means off. `covered_until`
-- is where the next digest starts: the moment it was switched on (history is never back-filled), then
-- the end of the window the last digest covered. A digest is due once `covered_until` is a day (daily)
-- or a week (weekly) old; the job claims it by moving `covered_until` in the transaction that queues
-- the mail, so two portal processes never send one digest twice.
CREATE TABLE contact_digests (
  membership_id uuid PRIMARY KEY REFERENCES memberships ON DELETE CASCADE,
  frequency     text NOT NULL CHECK (frequency IN ('daily', 'weekly')),
  covered_until timestamptz NOT NULL DEFAULT now(),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_digests_due_idx ON contact_digests (covered_until);

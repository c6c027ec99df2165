-- A contact's choice "Email me about my tickets and returns" (decision 031). On by default: a
-- contact who opened a ticket or requested a return expects to hear when the supplier answers.
ALTER TABLE users ADD COLUMN notify_by_email boolean NOT NULL DEFAULT true;

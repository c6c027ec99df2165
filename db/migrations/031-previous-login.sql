-- "What changed since your last visit" needs the sign-in before the current one.
ALTER TABLE users ADD COLUMN previous_login_at timestamptz;

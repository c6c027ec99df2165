-- View preferences per user (column widths, sort, density, theme): kept on the server so they
-- follow the contact from one browser to the next.
CREATE TABLE user_preferences (
  user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- ERP connectivity (issue 5): REST push API keys, import runs with progress, the dead letter,
-- delete tombstones, SQL pull sources and outbound webhooks. Why it looks like this:
-- docs/decisions/020-erp-ingest.md.

-- ---------------------------------------------------------------------------------------------
-- API keys: a rate limit per key and who revoked it
-- ---------------------------------------------------------------------------------------------

ALTER TABLE api_keys
  ADD COLUMN rate_limit_per_minute int NOT NULL DEFAULT 1200 CHECK (rate_limit_per_minute BETWEEN 1 AND 1000000),
  ADD COLUMN revoked_by uuid REFERENCES users ON DELETE SET NULL;

-- ---------------------------------------------------------------------------------------------
-- SQL pull sources (before import_runs refers to them)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE erp_sql_sources (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind           text NOT NULL CHECK (kind IN ('postgres', 'mysql')),
  -- A postgres:// or mysql:// URL, or env:NAME to read it from the environment (keeps passwords
  -- out of the database).
  connection_url text NOT NULL,
  schedule       text,                     -- cron expression (croner); null: on demand only
  enabled        boolean NOT NULL DEFAULT true,
  batch_size     int NOT NULL DEFAULT 500 CHECK (batch_size BETWEEN 1 AND 10000),
  -- Serialises runs across processes: a run holds the lease and renews it after every batch.
  lease_run_id   uuid,
  lease_until    timestamptz,
  created_by     uuid REFERENCES users ON DELETE SET NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name)
);
CREATE TRIGGER erp_sql_sources_set_updated_at BEFORE UPDATE ON erp_sql_sources FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One query per entity: it returns our field names (lines.* for the lines of a document, one row
-- per line) plus the watermark column, ordered by the watermark; :since is the last good watermark.
CREATE TABLE erp_sql_queries (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_id            uuid NOT NULL REFERENCES erp_sql_sources ON DELETE CASCADE,
  entity               text NOT NULL,
  query                text NOT NULL,
  watermark_column     text NOT NULL DEFAULT 'watermark',
  watermark            text,               -- null: the next run is a full pull
  watermark_updated_at timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_id, entity)
);
CREATE TRIGGER erp_sql_queries_set_updated_at BEFORE UPDATE ON erp_sql_queries FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Import runs: which source, progress, liveness
-- ---------------------------------------------------------------------------------------------

ALTER TABLE import_runs DROP CONSTRAINT import_runs_source_check;
ALTER TABLE import_runs ADD CONSTRAINT import_runs_source_check CHECK (source IN ('api', 'csv', 'sql', 'seed', 'manual', 'replay'));
ALTER TABLE import_runs
  ADD COLUMN source_name   text,                 -- API key name, file name or SQL source name
  ADD COLUMN sql_source_id uuid REFERENCES erp_sql_sources ON DELETE SET NULL,
  ADD COLUMN deleted_count int NOT NULL DEFAULT 0 CHECK (deleted_count >= 0),
  ADD COLUMN rows_read     bigint NOT NULL DEFAULT 0,
  ADD COLUMN bytes_read    bigint NOT NULL DEFAULT 0,
  ADD COLUMN bytes_total   bigint,
  ADD COLUMN heartbeat_at  timestamptz,         -- a running run older than a minute was interrupted
  ADD COLUMN details       jsonb NOT NULL DEFAULT '{}';  -- detected encoding and delimiter, watermarks, …
CREATE INDEX import_runs_source_idx ON import_runs (source, source_name, started_at DESC);
CREATE INDEX import_runs_sql_source_idx ON import_runs (sql_source_id, started_at DESC);

-- ---------------------------------------------------------------------------------------------
-- Dead letter: the record to replay (API shape), where it came from, how it was resolved
-- ---------------------------------------------------------------------------------------------

ALTER TABLE rejected_records
  ADD COLUMN record       jsonb,                 -- the record in the API's shape, when it could be built
  ADD COLUMN line_number  bigint,                -- CSV: first line of the record; SQL: row number
  ADD COLUMN resolution   text CHECK (resolution IN ('replayed', 'discarded', 'superseded')),
  ADD COLUMN replay_count int NOT NULL DEFAULT 0,
  ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now(),
  ADD CONSTRAINT rejected_records_resolved_check CHECK (resolution IS NULL OR resolved_at IS NOT NULL);
CREATE TRIGGER rejected_records_set_updated_at BEFORE UPDATE ON rejected_records FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Tombstones: a deleted ERP record remembers its version, so a late replay of an older upsert
-- cannot bring it back.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE erp_tombstones (
  table_name  text NOT NULL,
  erp_id      text NOT NULL,
  erp_version bigint NOT NULL,
  deleted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_name, erp_id)
);

-- ---------------------------------------------------------------------------------------------
-- Outbound webhooks: portal-originated events back to the ERP
-- ---------------------------------------------------------------------------------------------

CREATE TABLE webhook_endpoints (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  url        text NOT NULL CHECK (url ~ '^https?://'),
  secret     text NOT NULL CHECK (length(secret) >= 32),   -- HMAC-SHA256 key, shown to staff to configure the receiver
  events     text[] NOT NULL DEFAULT '{*}',                 -- patterns: 'contact.*', 'einvoice.downloaded', '*'
  enabled    boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER webhook_endpoints_set_updated_at BEFORE UPDATE ON webhook_endpoints FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE webhook_events (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type           text NOT NULL,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  account_id     uuid REFERENCES accounts ON DELETE SET NULL,
  actor_user_id  uuid REFERENCES users ON DELETE SET NULL,
  entity_type    text,
  entity_id      text,
  audit_event_id bigint,
  data           jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX webhook_events_occurred_idx ON webhook_events (occurred_at DESC);

CREATE TABLE webhook_deliveries (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id        uuid NOT NULL REFERENCES webhook_events ON DELETE CASCADE,
  endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_until   timestamptz,                -- a dispatcher is delivering it (crash-safe claim)
  payload         text,                       -- the exact body, fixed at the first attempt
  last_status     int,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at DESC);

CREATE TABLE webhook_attempts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
  attempt     int NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  status_code int,
  error       text,
  duration_ms int
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, attempt);

-- Which audit actions are portal-originated events the ERP hears about, and under which type.
-- Contact changes, e-invoice downloads, and (as their modules record them) quote decisions, return
-- requests and tickets. Everything else (logins, views, admin changes) stays in the audit trail only.
CREATE FUNCTION webhook_event_type(action text, details jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN action LIKE 'contact.%' THEN action
    WHEN action LIKE 'einvoice.%' THEN action
    WHEN action IN ('document.download', 'document.downloaded')
         AND lower(coalesce(details ->> 'format', details ->> 'kind', '')) ~ '(xrechnung|zugferd|factur|ubl|cii|einvoice)'
      THEN 'einvoice.downloaded'
    WHEN action LIKE 'quote.%' OR action LIKE 'return.%' OR action LIKE 'ticket.%' THEN action
    ELSE NULL
  END
$$;

-- Creates the event and one delivery per enabled endpoint whose patterns match; wakes dispatchers.
CREATE FUNCTION webhook_enqueue(event_type text, account uuid, actor uuid, entity_type text, entity_id text,
                                audit_id bigint, data jsonb) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  event uuid;
  n     int;
BEGIN
  INSERT INTO webhook_events (type, account_id, actor_user_id, entity_type, entity_id, audit_event_id, data)
  VALUES (event_type, account, actor, entity_type, entity_id, audit_id, coalesce(data, '{}'))
  RETURNING id INTO event;
  INSERT INTO webhook_deliveries (event_id, endpoint_id)
  SELECT event, e.id FROM webhook_endpoints e
   WHERE e.enabled AND EXISTS (SELECT 1 FROM unnest(e.events) p WHERE event_type LIKE replace(replace(replace(replace(p, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'));
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN PERFORM pg_notify('webhook_deliveries', event::text); END IF;
  RETURN event;
END;
$$;

CREATE FUNCTION webhook_from_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  event_type text := webhook_event_type(NEW.action, NEW.details);
BEGIN
  IF event_type IS NOT NULL THEN
    -- Details are forwarded without the request's origin (ip and user agent stay in the audit trail).
    PERFORM webhook_enqueue(event_type, NEW.account_id, NEW.actor_user_id, NEW.entity_type, NEW.entity_id, NEW.id,
                            NEW.details - 'ip' - 'userAgent' - 'user_agent');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER audit_events_webhook AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION webhook_from_audit();

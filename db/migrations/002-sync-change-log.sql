-- Change capture for the built-in shape engine (electric/server). Why it looks like this:
-- docs/decisions/005-built-in-shape-engine.md.
--
--   * A row trigger on every synced table appends each change to sync_change_log in the writer's own
--     transaction: the whole new and old row as jsonb (to_jsonb keeps every value exactly, whatever
--     the writer's TimeZone/DateStyle; the engine re-renders values in Postgres text format with
--     fixed session settings when it serves them), plus the writing transaction's id.
--   * Entries are written with position NULL. The engine's sequencer stamps positions on entries
--     once their transaction is visible (committed), so positions are handed out in visibility
--     order: a transaction that commits late gets positions after everything served before it,
--     whenever it started. Writers never wait for each other or for the sequencer.
--   * NOTIFY sync_changes (payload: the table) wakes the sequencer; the sequencer's own
--     NOTIFY sync_sequenced wakes the long-polls of every engine process on the database.

CREATE TABLE sync_change_log (
  -- Write order: an identity is non-transactional and increases in real time, so for two changes of
  -- one row (the second writer waited for the first to commit) the earlier change has the lower id.
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  xid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
  table_name   text NOT NULL,
  operation    text NOT NULL CHECK (operation IN ('insert', 'update', 'delete', 'truncate')),
  pk           jsonb,                -- the primary key columns of the row (new row, else old row)
  new_row      jsonb,                -- insert/update: the row after the change
  old_row      jsonb,                -- update/delete: the row before the change
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- Set by the sequencer (electric/server/sequencer.server.ts), never by writers:
  position     bigint,               -- served position: unique, contiguous per transaction
  tx_position  bigint,               -- position of the transaction's last entry: its "lsn"
  sequenced_at timestamptz,
  CHECK ((position IS NULL) = (tx_position IS NULL))
);
CREATE UNIQUE INDEX sync_change_log_position_idx ON sync_change_log (position);
CREATE INDEX sync_change_log_table_position_idx ON sync_change_log (table_name, position);

-- One row: the last position handed out, and the position through which the log was compacted
-- (a client offset below it can no longer be caught up and gets 409 must-refetch).
CREATE TABLE sync_sequencer (
  id                int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  head              bigint NOT NULL DEFAULT 0,
  compacted_through bigint NOT NULL DEFAULT 0
);
INSERT INTO sync_sequencer (id) VALUES (1);

-- Shape handles. A handle names one snapshot a client took of one shape definition; it is minted
-- on every offset=-1 request (and in every 409), never reused: the hash prefix, a millisecond
-- clock and random bytes make it unique also across restarts and restored databases.
CREATE TABLE sync_shapes (
  handle            text PRIMARY KEY,
  shape_name        text NOT NULL,
  definition_hash   text NOT NULL,   -- (name, table, columns and their types, conditions)
  snapshot_position bigint NOT NULL, -- the log position the snapshot is consistent with
  created_at        timestamptz NOT NULL DEFAULT now(),
  last_used_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_shapes_last_used_idx ON sync_shapes (last_used_at);

CREATE FUNCTION sync_capture_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  new_row jsonb;
  old_row jsonb;
  key     jsonb := '{}';
  i       int;
BEGIN
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
  IF TG_OP = 'UPDATE' AND new_row = old_row THEN
    RETURN NULL; -- nothing changed (an ERP re-send of the same version): nothing to sync
  END IF;
  FOR i IN 0 .. TG_NARGS - 1 LOOP -- the trigger's arguments name the primary key columns
    key := key || jsonb_build_object(TG_ARGV[i], coalesce(new_row, old_row) -> TG_ARGV[i]);
  END LOOP;
  INSERT INTO sync_change_log (table_name, operation, pk, new_row, old_row)
  VALUES (TG_TABLE_NAME, lower(TG_OP), key, new_row, old_row);
  -- Identical notifications of one transaction are folded into one, delivered at commit.
  PERFORM pg_notify('sync_changes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

-- TRUNCATE fires no row triggers; one marker entry makes every shape of the table refetch.
CREATE FUNCTION sync_capture_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_change_log (table_name, operation) VALUES (TG_TABLE_NAME, 'truncate');
  PERFORM pg_notify('sync_changes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

-- Installs capture on one table. A later migration that adds a table to the shape registry calls
-- `SELECT sync_capture_table('new_table');` (the engine refuses to start while one is missing).
CREATE FUNCTION sync_capture_table(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  pk_args text;
  name    text := (SELECT c.relname FROM pg_class c WHERE c.oid = target);
BEGIN
  SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY k.ord) INTO pk_args
    FROM pg_index i
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
   WHERE i.indrelid = target AND i.indisprimary;
  IF pk_args IS NULL THEN
    RAISE EXCEPTION 'sync_capture_table(%): the table has no primary key', target;
  END IF;
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_sync_capture', target);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_sync_truncate', target);
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION sync_capture_row(%s)',
                 name || '_sync_capture', target, pk_args);
  EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION sync_capture_truncate()',
                 name || '_sync_truncate', target);
END;
$$;

-- The tables of electric/shapes/registry.ts.
SELECT sync_capture_table(t::regclass)
  FROM unnest(ARRAY[
    'accounts', 'locations', 'cost_centers', 'sales_orders', 'sales_order_lines', 'order_milestones',
    'order_confirmations', 'shipments', 'shipment_lines', 'tracking_events', 'delivery_notes',
    'delivery_note_lines', 'invoices', 'invoice_lines', 'invoice_tax_breakdown', 'invoice_allowance_charges',
    'payments', 'quotes', 'quote_lines', 'statements', 'document_files', 'return_requests',
    'support_tickets', 'ticket_messages'
  ]) AS t;

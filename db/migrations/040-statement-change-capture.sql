-- Change capture per statement instead of per row (issue 5: ERP ingest throughput).
--
-- 002 appended each changed row from a FOR EACH ROW trigger: one PL/pgSQL call, one INSERT and one
-- pg_notify per row, about half of the database time of a 2,500-line ERP batch. Here one trigger
-- per statement and operation reads the statement's transition tables (REFERENCING NEW TABLE /
-- OLD TABLE) and appends all its rows with one INSERT … SELECT. The log is the same as 002 wrote it
-- (db/change-capture.test.ts compares the two on the same statements):
--
--   * the same columns and values: to_jsonb of the whole new / old row, the primary key object of
--     the new row (else the old one), xid and created_at from the column defaults;
--   * an UPDATE that changed nothing (an ERP re-send of the same version) writes nothing;
--   * entries of one statement keep the order in which the statement wrote the rows (a transition
--     table is read in write order; old and new rows of an UPDATE are paired by that position, so a
--     primary-key change pairs correctly too), and the log ids follow it. The sequencer orders the
--     entries of a transaction by id (electric/server/sequencer.server.ts), and statements still
--     append in the order they ran. The one difference: an INSERT … ON CONFLICT DO UPDATE appends
--     its updated rows before its inserted rows (Postgres fires the UPDATE statement trigger first)
--     where 002 interleaved them. One statement changes a row at most once, so no row's history
--     and no shape's final state depends on that order;
--   * one NOTIFY sync_changes per table and transaction, only when something was appended (a
--     statement trigger also fires for a statement that matched no row);
--   * TRUNCATE keeps 002's statement trigger and marker entry.
--
-- Postgres allows transition tables only on single-event triggers, so each table gets three:
-- <table>_sync_capture (INSERT; the name electric/server/instance.server.ts checks for),
-- <table>_sync_capture_update and <table>_sync_capture_delete. sync_capture_table() keeps its
-- signature and now installs these; every table that had 002's capture is switched below.

CREATE FUNCTION sync_capture_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  -- The trigger's arguments name the primary key columns. Every synced table has a one-column key
  -- today: that case is one jsonb_build_object per row; a composite key takes the general path.
  key_columns text[] := TG_ARGV[0:TG_NARGS - 1];
  single_key  text := CASE WHEN TG_NARGS = 1 THEN TG_ARGV[0] END;
  appended    bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sync_change_log (table_name, operation, pk, new_row)
    SELECT TG_TABLE_NAME, 'insert',
           CASE WHEN single_key IS NOT NULL THEN jsonb_build_object(single_key, r.new_row -> single_key)
                ELSE (SELECT coalesce(jsonb_object_agg(k, r.new_row -> k), '{}') FROM unnest(key_columns) k) END,
           r.new_row
      FROM (SELECT to_jsonb(n) AS new_row, row_number() OVER () AS ord FROM sync_new_rows n) r
     ORDER BY r.ord;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO sync_change_log (table_name, operation, pk, new_row, old_row)
    SELECT TG_TABLE_NAME, 'update',
           CASE WHEN single_key IS NOT NULL THEN jsonb_build_object(single_key, n.new_row -> single_key)
                ELSE (SELECT coalesce(jsonb_object_agg(k, n.new_row -> k), '{}') FROM unnest(key_columns) k) END,
           n.new_row, o.old_row
      FROM (SELECT to_jsonb(x) AS old_row, row_number() OVER () AS ord FROM sync_old_rows x) o
      JOIN (SELECT to_jsonb(x) AS new_row, row_number() OVER () AS ord FROM sync_new_rows x) n ON n.ord = o.ord
     WHERE n.new_row <> o.old_row -- nothing changed: nothing to sync
     ORDER BY o.ord;
  ELSE
    INSERT INTO sync_change_log (table_name, operation, pk, old_row)
    SELECT TG_TABLE_NAME, 'delete',
           CASE WHEN single_key IS NOT NULL THEN jsonb_build_object(single_key, r.old_row -> single_key)
                ELSE (SELECT coalesce(jsonb_object_agg(k, r.old_row -> k), '{}') FROM unnest(key_columns) k) END,
           r.old_row
      FROM (SELECT to_jsonb(o) AS old_row, row_number() OVER () AS ord FROM sync_old_rows o) r
     ORDER BY r.ord;
  END IF;
  GET DIAGNOSTICS appended = ROW_COUNT;
  IF appended > 0 THEN
    -- Identical notifications of one transaction are folded into one, delivered at commit.
    PERFORM pg_notify('sync_changes', TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION sync_capture_table(target regclass) RETURNS void
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
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_sync_capture_update', target);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_sync_capture_delete', target);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_sync_truncate', target);
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS sync_new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION sync_capture_statement(%s)',
                 name || '_sync_capture', target, pk_args);
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS sync_old_rows NEW TABLE AS sync_new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION sync_capture_statement(%s)',
                 name || '_sync_capture_update', target, pk_args);
  EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS sync_old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION sync_capture_statement(%s)',
                 name || '_sync_capture_delete', target, pk_args);
  EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION sync_capture_truncate()',
                 name || '_sync_truncate', target);
END;
$$;

-- Every table 002 (or a later migration) put under capture.
DO $$
DECLARE
  captured regclass[];
  t        regclass;
BEGIN
  SELECT coalesce(array_agg(c.oid::regclass ORDER BY c.relname), '{}') INTO captured
    FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
   WHERE tg.tgname = c.relname || '_sync_capture' AND c.relnamespace = 'public'::regnamespace;
  FOREACH t IN ARRAY captured LOOP
    PERFORM sync_capture_table(t);
  END LOOP;
END;
$$;

DROP FUNCTION sync_capture_row();

-- Ledgerlight: the whole domain model.
--
-- Conventions
--   * uuid primary keys (gen_random_uuid(), built in since Postgres 13: no extension needed, so the
--     same script runs on Postgres 15 and on PGlite).
--   * money numeric(14,2), quantities numeric(14,3), unit prices numeric(14,4), currencies char(3).
--   * statuses are text with CHECK constraints (never enums: adding a value is a one-line migration).
--   * Every ERP record carries erp_id (the ERP's key, UNIQUE per table) and erp_version (for
--     idempotent, ordered upserts).
--   * Every customer-data table, child tables included, carries its own account_id (and location_id
--     where its document has one), so one per-table filter `account_id = ANY($1)` scopes it without
--     joins (shapes of the sync layer filter single tables). A child references its parent through
--     the pair (parent_id, account_id), so its account_id can never differ from the parent's, and
--     follows it (ON UPDATE CASCADE) when the ERP moves a document to another account.
--   * Credit notes are stored with positive amounts, as in EN 16931 / UBL CreditNote; kind says
--     which way the money goes.
--   * "Overdue" is never stored: it is status IN ('open','partially_paid') AND due_date < today.

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- Human numbers for records the portal creates itself (the ERP numbers its own documents).
CREATE SEQUENCE return_request_number_seq START 1000;
CREATE SEQUENCE support_ticket_number_seq START 1000;

-- ---------------------------------------------------------------------------------------------
-- Supplier, accounts, locations, cost centers
-- ---------------------------------------------------------------------------------------------

CREATE TABLE supplier_settings (
  id                  int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  legal_name          text NOT NULL,
  trade_name          text,
  vat_id              text,
  tax_number          text,
  commercial_register text,            -- e.g. 'Amtsgericht Stuttgart HRB 723456'
  managing_directors  text,
  street              text,
  postal_code         text,
  city                text,
  country_code        char(2) NOT NULL DEFAULT 'DE' CHECK (country_code ~ '^[A-Z]{2}$'),
  email               text,
  phone               text,
  contact_name        text,
  electronic_address  text,            -- BT-34 seller electronic address (XRechnung), usually an e-mail
  website             text,
  iban                text,
  bic                 text,
  bank_name           text,
  base_currency       char(3) NOT NULL DEFAULT 'EUR' CHECK (base_currency ~ '^[A-Z]{3}$'),
  brand_color         text NOT NULL DEFAULT '#1f4e79' CHECK (brand_color ~ '^#[0-9A-Fa-f]{6}$'),
  logo_svg            text,
  default_language    text NOT NULL DEFAULT 'de' CHECK (default_language IN ('en', 'de')),
  self_signup_enabled boolean NOT NULL DEFAULT false,
  payment_terms_text  text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id             text NOT NULL,
  erp_version        bigint NOT NULL DEFAULT 0,
  parent_id          uuid REFERENCES accounts,
  number             text NOT NULL,          -- customer number
  name               text NOT NULL,
  vat_id             text,
  country_code       char(2) NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
  language           text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'de')),
  currency           char(3) NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  buyer_reference    text,                   -- Leitweg-ID for public-sector buyers (XRechnung BT-10)
  einvoice_address   text,                   -- BT-49 buyer electronic address, usually an e-mail
  street             text,
  postal_code        text,
  city               text,
  email              text,
  phone              text,
  payment_terms_days int NOT NULL DEFAULT 30 CHECK (payment_terms_days >= 0),
  credit_limit       numeric(14,2) CHECK (credit_limit >= 0),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  CHECK (parent_id <> id)
);
CREATE INDEX accounts_parent_idx ON accounts (parent_id);

CREATE TABLE locations (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id             text NOT NULL,
  erp_version        bigint NOT NULL DEFAULT 0,
  account_id         uuid NOT NULL REFERENCES accounts,
  code               text NOT NULL,
  name               text NOT NULL,
  street             text,
  postal_code        text,
  city               text,
  country_code       char(2) CHECK (country_code ~ '^[A-Z]{2}$'),
  is_default_ship_to boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (account_id, code),
  UNIQUE (id, account_id)
);

CREATE TABLE cost_centers (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id      text NOT NULL,
  erp_version bigint NOT NULL DEFAULT 0,
  account_id  uuid NOT NULL REFERENCES accounts,
  code        text NOT NULL,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (account_id, code),
  UNIQUE (id, account_id)
);

-- ---------------------------------------------------------------------------------------------
-- Users, access, sessions
-- ---------------------------------------------------------------------------------------------

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
  name          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('contact', 'staff')),
  staff_role    text CHECK (staff_role IN ('admin', 'sales', 'support', 'finance')),
  password_hash text,
  language      text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'de')),
  status        text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
  phone         text,
  job_title     text,
  erp_id        text,
  erp_version   bigint NOT NULL DEFAULT 0,
  last_login_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (email),
  UNIQUE (erp_id),
  CHECK ((kind = 'staff') = (staff_role IS NOT NULL))
);

CREATE TABLE memberships (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id              uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  account_id           uuid NOT NULL REFERENCES accounts ON DELETE CASCADE,
  role                 text NOT NULL CHECK (role IN ('admin', 'buyer', 'finance', 'viewer')),
  include_subsidiaries boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, account_id)
);
CREATE INDEX memberships_account_idx ON memberships (account_id);

-- A membership with rows here sees only these locations; none means every location.
CREATE TABLE membership_locations (
  membership_id uuid NOT NULL REFERENCES memberships ON DELETE CASCADE,
  location_id   uuid NOT NULL REFERENCES locations ON DELETE CASCADE,
  PRIMARY KEY (membership_id, location_id)
);
CREATE INDEX membership_locations_location_idx ON membership_locations (location_id);

CREATE TABLE sessions (
  id                   text PRIMARY KEY,     -- sha256 hex of the cookie token
  user_id              uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  active_account_id    uuid REFERENCES accounts ON DELETE SET NULL,
  impersonator_user_id uuid REFERENCES users ON DELETE CASCADE,
  ip                   text,
  user_agent           text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  last_seen_at         timestamptz NOT NULL DEFAULT now(),
  expires_at           timestamptz NOT NULL,
  revoked_at           timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE invitations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash  text NOT NULL,
  user_id     uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  account_id  uuid NOT NULL REFERENCES accounts ON DELETE CASCADE,
  invited_by  uuid REFERENCES users ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at  timestamptz,
  UNIQUE (token_hash)
);
CREATE INDEX invitations_user_idx ON invitations (user_id);
CREATE INDEX invitations_account_idx ON invitations (account_id);

CREATE TABLE password_reset_tokens (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id);

CREATE TABLE signup_requests (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email           text NOT NULL CHECK (email = lower(email)),
  name            text NOT NULL,
  company_name    text NOT NULL,
  vat_id          text,
  customer_number text,
  phone           text,
  message         text,
  language        text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'de')),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by      uuid REFERENCES users ON DELETE SET NULL,
  decided_at      timestamptz,
  decision_note   text,
  account_id      uuid REFERENCES accounts ON DELETE SET NULL,  -- the account it was approved into
  user_id         uuid REFERENCES users ON DELETE SET NULL,     -- the contact created on approval
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX signup_requests_status_idx ON signup_requests (status, created_at DESC);

CREATE TABLE audit_events (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at                   timestamptz NOT NULL DEFAULT now(),
  actor_user_id        uuid REFERENCES users ON DELETE SET NULL,
  impersonator_user_id uuid REFERENCES users ON DELETE SET NULL,
  account_id           uuid REFERENCES accounts ON DELETE SET NULL,
  action               text NOT NULL,         -- 'auth.login', 'document.download', …
  entity_type          text,
  entity_id            text,
  ip                   text,
  user_agent           text,
  details              jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_account_idx ON audit_events (account_id, at DESC);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, at DESC);
CREATE INDEX audit_events_at_idx ON audit_events (at DESC);

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  key_prefix   text NOT NULL,                 -- first characters of the key, shown to tell keys apart
  key_hash     text NOT NULL,                 -- sha256 hex of the whole key
  scopes       text[] NOT NULL DEFAULT '{}',  -- e.g. {'erp:write'}
  created_by   uuid REFERENCES users ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at   timestamptz,
  revoked_at   timestamptz,
  UNIQUE (key_hash)
);

-- ---------------------------------------------------------------------------------------------
-- Sales orders
-- ---------------------------------------------------------------------------------------------

CREATE TABLE sales_orders (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id                  text NOT NULL,
  erp_version             bigint NOT NULL DEFAULT 0,
  account_id              uuid NOT NULL REFERENCES accounts,
  location_id             uuid,
  cost_center_id          uuid,
  number                  text NOT NULL,
  customer_reference      text,               -- the customer's purchase order number
  buyer_name              text,
  buyer_user_id           uuid REFERENCES users ON DELETE SET NULL,
  status                  text NOT NULL CHECK (status IN ('open', 'confirmed', 'in_production', 'partially_shipped',
                                                          'shipped', 'completed', 'cancelled', 'on_hold')),
  order_date              date NOT NULL,
  requested_delivery_date date,
  promised_delivery_date  date,
  currency                char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  net_amount              numeric(14,2) NOT NULL DEFAULT 0,
  tax_amount              numeric(14,2) NOT NULL DEFAULT 0,
  gross_amount            numeric(14,2) NOT NULL DEFAULT 0,
  incoterms               text,
  shipping_address        text,
  note                    text,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  UNIQUE (id, account_id),
  FOREIGN KEY (location_id, account_id) REFERENCES locations (id, account_id),
  FOREIGN KEY (cost_center_id, account_id) REFERENCES cost_centers (id, account_id),
  CHECK (gross_amount = net_amount + tax_amount)
);
CREATE INDEX sales_orders_account_date_idx ON sales_orders (account_id, order_date DESC);
CREATE INDEX sales_orders_account_status_idx ON sales_orders (account_id, status, order_date DESC);
CREATE INDEX sales_orders_location_idx ON sales_orders (location_id);
CREATE INDEX sales_orders_buyer_user_idx ON sales_orders (buyer_user_id);

CREATE TABLE sales_order_lines (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id               text NOT NULL,
  erp_version          bigint NOT NULL DEFAULT 0,
  account_id           uuid NOT NULL REFERENCES accounts,
  location_id          uuid REFERENCES locations,
  sales_order_id       uuid NOT NULL,
  line_no              int NOT NULL CHECK (line_no > 0),
  sku                  text NOT NULL,
  description          text NOT NULL,
  unit                 text NOT NULL DEFAULT 'C62',   -- UN/ECE Rec 20: C62 piece, MTR, KGM, LTR, SET, HUR, DAY
  quantity_ordered     numeric(14,3) NOT NULL CHECK (quantity_ordered >= 0),
  quantity_shipped     numeric(14,3) NOT NULL DEFAULT 0 CHECK (quantity_shipped >= 0),
  quantity_backordered numeric(14,3) NOT NULL DEFAULT 0 CHECK (quantity_backordered >= 0),
  quantity_cancelled   numeric(14,3) NOT NULL DEFAULT 0 CHECK (quantity_cancelled >= 0),
  quantity_invoiced    numeric(14,3) NOT NULL DEFAULT 0 CHECK (quantity_invoiced >= 0),
  unit_price           numeric(14,4) NOT NULL CHECK (unit_price >= 0),
  discount_percent     numeric(5,2) NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
  vat_rate             numeric(5,2) NOT NULL DEFAULT 0 CHECK (vat_rate BETWEEN 0 AND 100),
  net_amount           numeric(14,2) NOT NULL,
  requested_date       date,
  promised_date        date,
  status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'in_production', 'partially_shipped',
                                                                      'backordered', 'shipped', 'completed', 'cancelled', 'on_hold')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (sales_order_id, line_no),
  FOREIGN KEY (sales_order_id, account_id) REFERENCES sales_orders (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX sales_order_lines_account_idx ON sales_order_lines (account_id);
CREATE INDEX sales_order_lines_sku_idx ON sales_order_lines (sku);

CREATE TABLE order_milestones (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id         text NOT NULL,
  erp_version    bigint NOT NULL DEFAULT 0,
  account_id     uuid NOT NULL REFERENCES accounts,
  location_id    uuid REFERENCES locations,
  sales_order_id uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('received', 'confirmed', 'in_production', 'ready_to_ship', 'partially_shipped',
                                               'shipped', 'delivered', 'invoiced', 'cancelled')),
  occurred_at    timestamptz,                 -- set: it happened; null with expected_at: it is planned
  expected_at    timestamptz,
  note           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  FOREIGN KEY (sales_order_id, account_id) REFERENCES sales_orders (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX order_milestones_account_idx ON order_milestones (account_id);
CREATE INDEX order_milestones_order_idx ON order_milestones (sales_order_id);

CREATE TABLE order_confirmations (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id                 text NOT NULL,
  erp_version            bigint NOT NULL DEFAULT 0,
  account_id             uuid NOT NULL REFERENCES accounts,
  location_id            uuid REFERENCES locations,
  sales_order_id         uuid NOT NULL,
  number                 text NOT NULL,
  issue_date             date NOT NULL,
  currency               char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  net_amount             numeric(14,2) NOT NULL DEFAULT 0,
  tax_amount             numeric(14,2) NOT NULL DEFAULT 0,
  gross_amount           numeric(14,2) NOT NULL DEFAULT 0,
  promised_delivery_date date,
  note                   text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  FOREIGN KEY (sales_order_id, account_id) REFERENCES sales_orders (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE,
  CHECK (gross_amount = net_amount + tax_amount)
);
CREATE INDEX order_confirmations_account_date_idx ON order_confirmations (account_id, issue_date DESC);
CREATE INDEX order_confirmations_order_idx ON order_confirmations (sales_order_id);

-- ---------------------------------------------------------------------------------------------
-- Shipments and delivery notes
-- ---------------------------------------------------------------------------------------------

CREATE TABLE shipments (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id                text NOT NULL,
  erp_version           bigint NOT NULL DEFAULT 0,
  account_id            uuid NOT NULL REFERENCES accounts,
  location_id           uuid,
  sales_order_id        uuid REFERENCES sales_orders ON DELETE SET NULL,
  number                text NOT NULL,
  carrier               text,
  service               text,
  tracking_number       text,
  tracking_url          text,
  status                text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_transit', 'out_for_delivery',
                                                                         'delivered', 'exception', 'returned')),
  shipped_at            timestamptz,
  estimated_delivery_at timestamptz,
  delivered_at          timestamptz,
  package_count         int CHECK (package_count > 0),
  gross_weight_kg       numeric(10,3) CHECK (gross_weight_kg >= 0),
  ship_to               text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  UNIQUE (id, account_id),
  FOREIGN KEY (location_id, account_id) REFERENCES locations (id, account_id),
  CHECK (delivered_at IS NULL OR shipped_at IS NULL OR delivered_at >= shipped_at)
);
CREATE INDEX shipments_account_date_idx ON shipments (account_id, shipped_at DESC);
CREATE INDEX shipments_account_status_idx ON shipments (account_id, status);
CREATE INDEX shipments_location_idx ON shipments (location_id);
CREATE INDEX shipments_order_idx ON shipments (sales_order_id);
CREATE INDEX shipments_tracking_idx ON shipments (tracking_number);

CREATE TABLE shipment_lines (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id              text NOT NULL,
  erp_version         bigint NOT NULL DEFAULT 0,
  account_id          uuid NOT NULL REFERENCES accounts,
  location_id         uuid REFERENCES locations,
  shipment_id         uuid NOT NULL,
  sales_order_line_id uuid REFERENCES sales_order_lines ON DELETE SET NULL,
  line_no             int CHECK (line_no > 0),
  sku                 text,
  description         text NOT NULL,
  quantity            numeric(14,3) NOT NULL CHECK (quantity >= 0),
  unit                text NOT NULL DEFAULT 'C62',
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  FOREIGN KEY (shipment_id, account_id) REFERENCES shipments (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX shipment_lines_account_idx ON shipment_lines (account_id);
CREATE INDEX shipment_lines_shipment_idx ON shipment_lines (shipment_id);
CREATE INDEX shipment_lines_order_line_idx ON shipment_lines (sales_order_line_id);

CREATE TABLE tracking_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id      text NOT NULL,
  erp_version bigint NOT NULL DEFAULT 0,
  account_id  uuid NOT NULL REFERENCES accounts,
  location_id uuid REFERENCES locations,
  shipment_id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  status_code text NOT NULL,                  -- carrier-neutral: PU picked up, DP departed, AR arrived, OD out for delivery, DL delivered, EX exception
  description text,
  place       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  FOREIGN KEY (shipment_id, account_id) REFERENCES shipments (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX tracking_events_account_idx ON tracking_events (account_id);
CREATE INDEX tracking_events_shipment_idx ON tracking_events (shipment_id, occurred_at);

CREATE TABLE delivery_notes (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id         text NOT NULL,
  erp_version    bigint NOT NULL DEFAULT 0,
  account_id     uuid NOT NULL REFERENCES accounts,
  location_id    uuid,
  sales_order_id uuid REFERENCES sales_orders ON DELETE SET NULL,
  shipment_id    uuid REFERENCES shipments ON DELETE SET NULL,
  number         text NOT NULL,
  issue_date     date NOT NULL,
  ship_to        text,
  note           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  UNIQUE (id, account_id),
  FOREIGN KEY (location_id, account_id) REFERENCES locations (id, account_id)
);
CREATE INDEX delivery_notes_account_date_idx ON delivery_notes (account_id, issue_date DESC);
CREATE INDEX delivery_notes_location_idx ON delivery_notes (location_id);
CREATE INDEX delivery_notes_order_idx ON delivery_notes (sales_order_id);
CREATE INDEX delivery_notes_shipment_idx ON delivery_notes (shipment_id);

CREATE TABLE delivery_note_lines (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id           uuid NOT NULL REFERENCES accounts,
  location_id          uuid REFERENCES locations,
  delivery_note_id     uuid NOT NULL,
  line_no              int NOT NULL CHECK (line_no > 0),
  sales_order_line_id  uuid REFERENCES sales_order_lines ON DELETE SET NULL,
  sku                  text,
  description          text NOT NULL,
  quantity_delivered   numeric(14,3) NOT NULL CHECK (quantity_delivered >= 0),
  quantity_backordered numeric(14,3) NOT NULL DEFAULT 0 CHECK (quantity_backordered >= 0),
  unit                 text NOT NULL DEFAULT 'C62',
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (delivery_note_id, line_no),
  FOREIGN KEY (delivery_note_id, account_id) REFERENCES delivery_notes (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX delivery_note_lines_account_idx ON delivery_note_lines (account_id);

-- ---------------------------------------------------------------------------------------------
-- Invoices and credit notes (EN 16931 business terms in the comments)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE invoices (
  id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id                     text NOT NULL,
  erp_version                bigint NOT NULL DEFAULT 0,
  account_id                 uuid NOT NULL REFERENCES accounts,
  location_id                uuid,
  cost_center_id             uuid,
  sales_order_id             uuid REFERENCES sales_orders ON DELETE SET NULL,
  kind                       text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  type_code                  text NOT NULL CHECK (type_code ~ '^[0-9]{1,3}$'),  -- BT-3, UNTDID 1001
  number                     text NOT NULL,                                     -- BT-1
  issue_date                 date NOT NULL,                                     -- BT-2
  due_date                   date,                                              -- BT-9
  tax_point_date             date,                                              -- BT-7
  delivery_date              date,                                              -- BT-72 actual delivery date
  service_period_start       date,                                              -- BT-73
  service_period_end         date,                                              -- BT-74
  currency                   char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'), -- BT-5
  tax_currency               char(3) CHECK (tax_currency ~ '^[A-Z]{3}$'),      -- BT-6
  buyer_reference            text,                                              -- BT-10 (Leitweg-ID)
  customer_reference         text,                                              -- BT-13 purchase order reference
  preceding_invoice_id       uuid REFERENCES invoices ON DELETE SET NULL,       -- BG-3 (credit notes)
  line_net_total             numeric(14,2) NOT NULL DEFAULT 0,                  -- BT-106
  allowance_total            numeric(14,2) NOT NULL DEFAULT 0 CHECK (allowance_total >= 0),  -- BT-107
  charge_total               numeric(14,2) NOT NULL DEFAULT 0 CHECK (charge_total >= 0),     -- BT-108
  net_amount                 numeric(14,2) NOT NULL DEFAULT 0,                  -- BT-109 total without VAT
  tax_amount                 numeric(14,2) NOT NULL DEFAULT 0,                  -- BT-110
  tax_amount_in_tax_currency numeric(14,2),                                     -- BT-111
  gross_amount               numeric(14,2) NOT NULL DEFAULT 0,                  -- BT-112 total with VAT
  prepaid_amount             numeric(14,2) NOT NULL DEFAULT 0 CHECK (prepaid_amount >= 0),   -- BT-113
  paid_amount                numeric(14,2) NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),      -- sum of payments after issue
  amount_due                 numeric(14,2) NOT NULL DEFAULT 0,                  -- BT-115, minus payments received since
  status                     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'partially_paid', 'paid', 'cancelled')),
  payment_terms              text,                                              -- BT-20
  payment_means_code         text NOT NULL DEFAULT '58',                        -- BT-81, UNTDID 4461 (58 = SEPA credit transfer)
  payment_reference          text,                                              -- BT-83
  note                       text,                                              -- BT-22
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  UNIQUE (id, account_id),
  FOREIGN KEY (location_id, account_id) REFERENCES locations (id, account_id),
  FOREIGN KEY (cost_center_id, account_id) REFERENCES cost_centers (id, account_id),
  -- Credit-note type codes of UNTDID 1001 belong to kind credit_note, all others to kind invoice.
  CHECK ((kind = 'credit_note') = (type_code IN ('81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532'))),
  CHECK (preceding_invoice_id IS NULL OR preceding_invoice_id <> id),
  CHECK (service_period_start IS NULL OR service_period_end IS NULL OR service_period_end >= service_period_start),
  CHECK (tax_currency IS NULL OR tax_amount_in_tax_currency IS NOT NULL),
  CHECK (net_amount = line_net_total - allowance_total + charge_total),          -- BR-CO-13
  CHECK (gross_amount = net_amount + tax_amount),                                -- BR-CO-15
  CHECK (amount_due = gross_amount - prepaid_amount - paid_amount)
);
CREATE INDEX invoices_account_date_idx ON invoices (account_id, issue_date DESC);
CREATE INDEX invoices_account_status_idx ON invoices (account_id, status, due_date);
CREATE INDEX invoices_location_idx ON invoices (location_id);
CREATE INDEX invoices_order_idx ON invoices (sales_order_id);
CREATE INDEX invoices_preceding_idx ON invoices (preceding_invoice_id);

CREATE TABLE invoice_lines (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id                text NOT NULL,
  erp_version           bigint NOT NULL DEFAULT 0,
  account_id            uuid NOT NULL REFERENCES accounts,
  location_id           uuid REFERENCES locations,
  invoice_id            uuid NOT NULL,
  line_no               int NOT NULL CHECK (line_no > 0),           -- BT-126
  sales_order_line_id   uuid REFERENCES sales_order_lines ON DELETE SET NULL,
  sku                   text,                                        -- BT-155 seller's item id
  description           text NOT NULL,                               -- BT-153 item name
  quantity              numeric(14,3) NOT NULL,                      -- BT-129 (may be negative, EN 16931 allows it)
  unit                  text NOT NULL DEFAULT 'C62',                 -- BT-130
  unit_price            numeric(14,4) NOT NULL CHECK (unit_price >= 0),                    -- BT-146 item net price
  price_base_quantity   numeric(14,3) NOT NULL DEFAULT 1 CHECK (price_base_quantity > 0),  -- BT-149
  line_allowance_amount numeric(14,2) NOT NULL DEFAULT 0 CHECK (line_allowance_amount >= 0),
  line_charge_amount    numeric(14,2) NOT NULL DEFAULT 0 CHECK (line_charge_amount >= 0),
  net_amount            numeric(14,2) NOT NULL,                      -- BT-131 = qty × price / base − allowance + charge
  vat_category          text NOT NULL CHECK (vat_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M')),  -- BT-151
  vat_rate              numeric(5,2) NOT NULL DEFAULT 0 CHECK (vat_rate BETWEEN 0 AND 100),               -- BT-152
  vat_exemption_reason  text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (invoice_id, line_no),
  FOREIGN KEY (invoice_id, account_id) REFERENCES invoices (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE,
  CHECK (vat_category <> 'S' OR vat_rate > 0),
  CHECK (vat_category NOT IN ('Z', 'E', 'AE', 'K', 'G', 'O') OR vat_rate = 0)
);
CREATE INDEX invoice_lines_account_idx ON invoice_lines (account_id);
CREATE INDEX invoice_lines_order_line_idx ON invoice_lines (sales_order_line_id);

-- Document-level allowances (BG-20) and charges (BG-21).
CREATE TABLE invoice_allowance_charges (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id   uuid NOT NULL REFERENCES accounts,
  location_id  uuid REFERENCES locations,
  invoice_id   uuid NOT NULL,
  seq          int NOT NULL DEFAULT 1,
  is_charge    boolean NOT NULL,
  amount       numeric(14,2) NOT NULL CHECK (amount >= 0),      -- BT-92 / BT-99
  base_amount  numeric(14,2),                                    -- BT-93 / BT-100
  percent      numeric(7,4),                                     -- BT-94 / BT-101
  reason       text,                                             -- BT-97 / BT-104
  reason_code  text,                                             -- BT-98 (UNTDID 5189) / BT-105 (UNTDID 7161)
  vat_category text NOT NULL CHECK (vat_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M')),
  vat_rate     numeric(5,2) NOT NULL DEFAULT 0 CHECK (vat_rate BETWEEN 0 AND 100),
  created_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (invoice_id, account_id) REFERENCES invoices (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE,
  CHECK (reason IS NOT NULL OR reason_code IS NOT NULL)          -- BR-33 / BR-38
);
CREATE INDEX invoice_allowance_charges_account_idx ON invoice_allowance_charges (account_id);
CREATE INDEX invoice_allowance_charges_invoice_idx ON invoice_allowance_charges (invoice_id, seq);

-- VAT breakdown (BG-23): one row per category and rate.
CREATE TABLE invoice_tax_breakdown (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id            uuid NOT NULL REFERENCES accounts,
  location_id           uuid REFERENCES locations,
  invoice_id            uuid NOT NULL,
  vat_category          text NOT NULL CHECK (vat_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M')),  -- BT-118
  vat_rate              numeric(5,2) NOT NULL DEFAULT 0 CHECK (vat_rate BETWEEN 0 AND 100),                -- BT-119
  taxable_amount        numeric(14,2) NOT NULL,        -- BT-116
  tax_amount            numeric(14,2) NOT NULL,        -- BT-117
  exemption_reason      text,                          -- BT-120
  exemption_reason_code text,                          -- BT-121 (VATEX)
  created_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (invoice_id, vat_category, vat_rate),
  FOREIGN KEY (invoice_id, account_id) REFERENCES invoices (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE,
  -- Exempt categories name their reason; S and Z must not (BR-x-10 of EN 16931).
  CHECK (vat_category IN ('S', 'Z', 'L', 'M') OR exemption_reason IS NOT NULL OR exemption_reason_code IS NOT NULL),
  CHECK (vat_category NOT IN ('S', 'Z') OR (exemption_reason IS NULL AND exemption_reason_code IS NULL))
);
CREATE INDEX invoice_tax_breakdown_account_idx ON invoice_tax_breakdown (account_id);

CREATE TABLE payments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id      text NOT NULL,
  erp_version bigint NOT NULL DEFAULT 0,
  account_id  uuid NOT NULL REFERENCES accounts,
  location_id uuid REFERENCES locations,
  invoice_id  uuid NOT NULL,
  paid_at     date NOT NULL,
  amount      numeric(14,2) NOT NULL CHECK (amount > 0),
  currency    char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  method      text,            -- 'sepa_credit_transfer', 'sepa_direct_debit', 'credit_transfer', 'refund', …
  reference   text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  FOREIGN KEY (invoice_id, account_id) REFERENCES invoices (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX payments_account_date_idx ON payments (account_id, paid_at DESC);
CREATE INDEX payments_invoice_idx ON payments (invoice_id);

-- ---------------------------------------------------------------------------------------------
-- Quotes, statements, files
-- ---------------------------------------------------------------------------------------------

CREATE TABLE quotes (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id             text NOT NULL,
  erp_version        bigint NOT NULL DEFAULT 0,
  account_id         uuid NOT NULL REFERENCES accounts,
  location_id        uuid,
  sales_order_id     uuid REFERENCES sales_orders ON DELETE SET NULL,  -- the order an accepted quote became
  number             text NOT NULL,
  issue_date         date NOT NULL,
  valid_until        date,
  status             text NOT NULL DEFAULT 'sent' CHECK (status IN ('draft', 'sent', 'accepted', 'rejected', 'expired', 'withdrawn')),
  currency           char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  net_amount         numeric(14,2) NOT NULL DEFAULT 0,
  tax_amount         numeric(14,2) NOT NULL DEFAULT 0,
  gross_amount       numeric(14,2) NOT NULL DEFAULT 0,
  customer_reference text,
  note               text,
  decided_at         timestamptz,
  decided_by_user_id uuid REFERENCES users ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  UNIQUE (id, account_id),
  FOREIGN KEY (location_id, account_id) REFERENCES locations (id, account_id),
  CHECK (gross_amount = net_amount + tax_amount),
  CHECK (valid_until IS NULL OR valid_until >= issue_date)
);
CREATE INDEX quotes_account_date_idx ON quotes (account_id, issue_date DESC);
CREATE INDEX quotes_account_status_idx ON quotes (account_id, status, valid_until);
CREATE INDEX quotes_location_idx ON quotes (location_id);

CREATE TABLE quote_lines (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id       uuid NOT NULL REFERENCES accounts,
  location_id      uuid REFERENCES locations,
  quote_id         uuid NOT NULL,
  line_no          int NOT NULL CHECK (line_no > 0),
  sku              text,
  description      text NOT NULL,
  quantity         numeric(14,3) NOT NULL CHECK (quantity >= 0),
  unit             text NOT NULL DEFAULT 'C62',
  unit_price       numeric(14,4) NOT NULL CHECK (unit_price >= 0),
  discount_percent numeric(5,2) NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
  vat_rate         numeric(5,2) NOT NULL DEFAULT 0 CHECK (vat_rate BETWEEN 0 AND 100),
  net_amount       numeric(14,2) NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (quote_id, line_no),
  FOREIGN KEY (quote_id, account_id) REFERENCES quotes (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX quote_lines_account_idx ON quote_lines (account_id);

CREATE TABLE statements (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id          text NOT NULL,
  erp_version     bigint NOT NULL DEFAULT 0,
  account_id      uuid NOT NULL REFERENCES accounts,
  number          text,
  period_start    date NOT NULL,
  period_end      date NOT NULL,
  opening_balance numeric(14,2) NOT NULL,
  closing_balance numeric(14,2) NOT NULL,
  currency        char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  issue_date      date NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  CHECK (period_end >= period_start)
);
CREATE INDEX statements_account_idx ON statements (account_id, period_end DESC);

-- Files the ERP supplies (original PDFs, certificates, data sheets): metadata here, bytes in the
-- content-addressed blob store under sha256.
CREATE TABLE document_files (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id         text NOT NULL,
  erp_version    bigint NOT NULL DEFAULT 0,
  account_id     uuid NOT NULL REFERENCES accounts,
  location_id    uuid REFERENCES locations,
  document_type  text NOT NULL CHECK (document_type IN ('invoice', 'credit_note', 'delivery_note', 'order_confirmation',
                                                        'quote', 'statement', 'certificate', 'data_sheet', 'other')),
  document_id    uuid,            -- the row in the table of document_type, where there is one
  sales_order_id uuid REFERENCES sales_orders ON DELETE SET NULL,
  title          text NOT NULL,
  file_name      text NOT NULL,
  content_type   text NOT NULL,
  byte_size      bigint NOT NULL CHECK (byte_size >= 0),
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  issued_at      timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id)
);
CREATE INDEX document_files_account_idx ON document_files (account_id, issued_at DESC);
CREATE INDEX document_files_document_idx ON document_files (document_type, document_id);
CREATE INDEX document_files_order_idx ON document_files (sales_order_id);
CREATE INDEX document_files_sha256_idx ON document_files (sha256);

-- ---------------------------------------------------------------------------------------------
-- Portal records: quote decisions, returns, tickets, notifications
-- ---------------------------------------------------------------------------------------------

-- Each approval step or final decision a contact takes on a quote. client_mutation_id makes an
-- offline-queued decision idempotent when it is replayed.
CREATE TABLE quote_decisions (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id         uuid NOT NULL REFERENCES accounts,
  location_id        uuid REFERENCES locations,
  quote_id           uuid NOT NULL,
  decided_by_user_id uuid REFERENCES users ON DELETE SET NULL,
  decision           text NOT NULL CHECK (decision IN ('approved', 'accepted', 'rejected')),  -- approved: an intermediate approval step
  comment            text,
  customer_reference text,                        -- PO number given on acceptance
  client_mutation_id text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_mutation_id),
  FOREIGN KEY (quote_id, account_id) REFERENCES quotes (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX quote_decisions_account_idx ON quote_decisions (account_id);
CREATE INDEX quote_decisions_quote_idx ON quote_decisions (quote_id, created_at);

CREATE TABLE return_requests (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  erp_id               text,                       -- set once the ERP has taken it over
  erp_version          bigint NOT NULL DEFAULT 0,
  account_id           uuid NOT NULL REFERENCES accounts,
  location_id          uuid,
  number               text NOT NULL,
  sales_order_id       uuid REFERENCES sales_orders ON DELETE SET NULL,
  delivery_note_id     uuid REFERENCES delivery_notes ON DELETE SET NULL,
  invoice_id           uuid REFERENCES invoices ON DELETE SET NULL,
  requested_by_user_id uuid REFERENCES users ON DELETE SET NULL,
  reason               text NOT NULL CHECK (reason IN ('damaged', 'defective', 'wrong_item', 'wrong_quantity', 'not_needed', 'other')),
  comment              text,
  status               text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected', 'received',
                                                                           'credited', 'cancelled')),
  decided_by_user_id   uuid REFERENCES users ON DELETE SET NULL,
  decided_at           timestamptz,
  decision_note        text,
  client_mutation_id   text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (erp_id),
  UNIQUE (number),
  UNIQUE (client_mutation_id),
  UNIQUE (id, account_id),
  FOREIGN KEY (location_id, account_id) REFERENCES locations (id, account_id)
);
CREATE INDEX return_requests_account_idx ON return_requests (account_id, created_at DESC);

CREATE TABLE return_request_lines (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id          uuid NOT NULL REFERENCES accounts,
  location_id         uuid REFERENCES locations,
  return_request_id   uuid NOT NULL,
  line_no             int NOT NULL CHECK (line_no > 0),
  sales_order_line_id uuid REFERENCES sales_order_lines ON DELETE SET NULL,
  sku                 text,
  description         text NOT NULL,
  quantity            numeric(14,3) NOT NULL CHECK (quantity > 0),
  unit                text NOT NULL DEFAULT 'C62',
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (return_request_id, line_no),
  FOREIGN KEY (return_request_id, account_id) REFERENCES return_requests (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX return_request_lines_account_idx ON return_request_lines (account_id);

CREATE TABLE support_tickets (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id          uuid NOT NULL REFERENCES accounts,
  location_id         uuid,
  number              text NOT NULL,
  subject             text NOT NULL,
  category            text NOT NULL DEFAULT 'general' CHECK (category IN ('general', 'order', 'delivery', 'invoice', 'product', 'portal')),
  priority            text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'waiting_on_customer', 'waiting_on_supplier',
                                                                     'resolved', 'closed')),
  related_entity_type text,                       -- 'sales_order', 'invoice', 'shipment', …
  related_entity_id   uuid,
  created_by_user_id  uuid REFERENCES users ON DELETE SET NULL,
  assigned_to_user_id uuid REFERENCES users ON DELETE SET NULL,
  client_mutation_id  text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  closed_at           timestamptz,
  UNIQUE (number),
  UNIQUE (client_mutation_id),
  UNIQUE (id, account_id),
  FOREIGN KEY (location_id, account_id) REFERENCES locations (id, account_id)
);
CREATE INDEX support_tickets_account_idx ON support_tickets (account_id, created_at DESC);
CREATE INDEX support_tickets_status_idx ON support_tickets (status, updated_at DESC);

CREATE TABLE ticket_messages (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id         uuid NOT NULL REFERENCES accounts,
  location_id        uuid REFERENCES locations,
  ticket_id          uuid NOT NULL,
  author_user_id     uuid REFERENCES users ON DELETE SET NULL,
  body               text NOT NULL CHECK (length(body) > 0),
  is_internal        boolean NOT NULL DEFAULT false,   -- staff-only note: never shown or synced to contacts
  client_mutation_id text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_mutation_id),
  FOREIGN KEY (ticket_id, account_id) REFERENCES support_tickets (id, account_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ticket_messages_account_idx ON ticket_messages (account_id);
CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, created_at);

CREATE TABLE notifications (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  account_id uuid REFERENCES accounts ON DELETE CASCADE,
  kind       text NOT NULL,            -- 'invoice.issued', 'shipment.delivered', 'quote.received', …
  title      text NOT NULL,
  body       text,
  link       text,
  read_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_account_idx ON notifications (account_id);

-- ---------------------------------------------------------------------------------------------
-- ERP imports
-- ---------------------------------------------------------------------------------------------

CREATE TABLE import_runs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source          text NOT NULL CHECK (source IN ('api', 'csv', 'sql', 'seed', 'manual')),
  entity          text,                 -- 'invoices', 'sales_orders', … (null: several)
  api_key_id      uuid REFERENCES api_keys ON DELETE SET NULL,
  started_by      uuid REFERENCES users ON DELETE SET NULL,
  file_name       text,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
  inserted_count  int NOT NULL DEFAULT 0 CHECK (inserted_count >= 0),
  updated_count   int NOT NULL DEFAULT 0 CHECK (updated_count >= 0),
  unchanged_count int NOT NULL DEFAULT 0 CHECK (unchanged_count >= 0),
  rejected_count  int NOT NULL DEFAULT 0 CHECK (rejected_count >= 0),
  error           text
);
CREATE INDEX import_runs_started_idx ON import_runs (started_at DESC);

-- An ERP record that failed validation, kept verbatim so it can be fixed and replayed.
CREATE TABLE rejected_records (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  import_run_id   uuid REFERENCES import_runs ON DELETE SET NULL,
  source          text NOT NULL,
  entity          text NOT NULL,
  erp_id          text,
  raw_payload     text NOT NULL,         -- exactly as received (a JSON body, a CSV row, a SQL row as JSON)
  errors          jsonb NOT NULL DEFAULT '[]',   -- [{ "path": "lines.0.quantity", "message": "…" }]
  created_at      timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  resolved_by     uuid REFERENCES users ON DELETE SET NULL,
  resolution_note text
);
CREATE INDEX rejected_records_open_idx ON rejected_records (entity, created_at DESC) WHERE resolved_at IS NULL;
CREATE INDEX rejected_records_erp_idx ON rejected_records (entity, erp_id);
CREATE INDEX rejected_records_run_idx ON rejected_records (import_run_id);

-- ---------------------------------------------------------------------------------------------
-- updated_at = now() on every UPDATE of every table that has the column
-- ---------------------------------------------------------------------------------------------

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.table_name
      FROM information_schema.columns c
      JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.column_name = 'updated_at' AND tb.table_type = 'BASE TABLE'
     ORDER BY c.table_name
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION set_updated_at()',
                   t.table_name || '_set_updated_at', t.table_name);
  END LOOP;
END;
$$;

-- Documents and e-invoices (issue 4): the cache of rendered files, e-invoice format preferences,
-- and indexes for the document audit trail. Why it looks like this:
-- docs/decisions/010-documents-and-einvoices.md.

-- Issued documents are immutable: a rendered file is cached under the document's version, the
-- template's version, the language and the output format, and its bytes live in the
-- content-addressed blob store (app/modules/blobs) under sha256. A new ERP version of the document
-- (erp_version, updated_at) or a new template version renders anew; old rows stay until pruned.
CREATE TABLE rendered_documents (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_type    text NOT NULL CHECK (document_type IN ('invoice', 'credit_note', 'delivery_note', 'order_confirmation', 'quote')),
  document_id      uuid NOT NULL,
  document_version text NOT NULL,
  template_version text NOT NULL,
  language         text NOT NULL CHECK (language IN ('en', 'de')),
  format           text NOT NULL,          -- 'pdf', 'zugferd-en16931', 'zugferd-xrechnung'
  sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  byte_size        bigint NOT NULL CHECK (byte_size >= 0),
  content_type     text NOT NULL,
  render_ms        numeric(10,1),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (document_type, document_id, document_version, template_version, language, format)
);
CREATE INDEX rendered_documents_document_idx ON rendered_documents (document_type, document_id);

-- The e-invoice format a contact chose last (remembered per contact) ...
CREATE TABLE contact_einvoice_preferences (
  user_id    uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
  format     text NOT NULL CHECK (format IN ('xrechnung-ubl', 'xrechnung-cii', 'facturx-en16931', 'zugferd-en16931', 'zugferd-xrechnung')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- ... and the default staff set for an account (used until a contact chooses).
CREATE TABLE account_einvoice_settings (
  account_id     uuid PRIMARY KEY REFERENCES accounts ON DELETE CASCADE,
  default_format text NOT NULL CHECK (default_format IN ('xrechnung-ubl', 'xrechnung-cii', 'facturx-en16931', 'zugferd-en16931',
                                                         'zugferd-xrechnung')),
  updated_by     uuid REFERENCES users ON DELETE SET NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Document views and downloads: "when did the customer first open it" (staff, per document) and
-- "what did I download" (a contact's own history).
CREATE INDEX audit_events_document_first_view_idx ON audit_events (entity_type, entity_id, at)
  WHERE action IN ('document.view', 'document.download');
CREATE INDEX audit_events_document_actor_idx ON audit_events (actor_user_id, at DESC)
  WHERE action IN ('document.view', 'document.download', 'document.bulk_download', 'document.export');

-- Files attached to support ticket messages and return requests (decision 033). The bytes live in
-- the content-addressed blob store (DATA_DIR/blobs, app/modules/blobs); a row names one file of one
-- record: a ticket message (the contact's or staff's, internal notes included) or a return request
-- (the contact's request, or staff's decision when from_supplier). account_id and location_id copy
-- the record's, like every customer row; reads are scoped through the record itself.
CREATE TABLE attachments (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id          uuid NOT NULL REFERENCES accounts,
  location_id         uuid,
  ticket_message_id   uuid REFERENCES ticket_messages ON DELETE CASCADE,
  return_request_id   uuid REFERENCES return_requests ON DELETE CASCADE,
  from_supplier       boolean NOT NULL DEFAULT false,
  file_name           text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  media_type          text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif',
                                                          'application/pdf', 'text/plain', 'text/csv')),
  byte_size           bigint NOT NULL CHECK (byte_size > 0),
  blob_sha256         text NOT NULL CHECK (blob_sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by_user_id uuid REFERENCES users ON DELETE SET NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(ticket_message_id, return_request_id) = 1)
);
CREATE INDEX attachments_ticket_message_idx ON attachments (ticket_message_id) WHERE ticket_message_id IS NOT NULL;
CREATE INDEX attachments_return_request_idx ON attachments (return_request_id) WHERE return_request_id IS NOT NULL;
CREATE INDEX attachments_account_idx ON attachments (account_id);

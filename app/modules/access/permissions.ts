/**
 * Who may do what, in one place. Reading an account's documents is governed by the scope (which
 * accounts and locations); these permissions govern actions and the finance-only areas.
 */
export const CONTACT_ROLES = ["admin", "buyer", "finance", "viewer"] as const;
export const STAFF_ROLES = ["admin", "sales", "support", "finance"] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];
export type StaffRole = (typeof STAFF_ROLES)[number];

export type ContactPermission =
  | "documents.read"
  | "invoices.read"
  | "statements.read"
  | "quotes.decide"
  | "returns.request"
  | "tickets.create"
  | "contacts.manage";

const CONTACT_PERMISSIONS: Record<ContactRole, readonly ContactPermission[]> = {
  admin: ["documents.read", "invoices.read", "statements.read", "quotes.decide", "returns.request", "tickets.create", "contacts.manage"],
  buyer: ["documents.read", "invoices.read", "quotes.decide", "returns.request", "tickets.create"],
  finance: ["documents.read", "invoices.read", "statements.read", "tickets.create"],
  // Viewers (warehouse, site staff) follow orders and deliveries; money stays with buyers and finance.
  viewer: ["documents.read"],
};

export type StaffPermission =
  | "accounts.read"
  | "contacts.manage"
  /** View the portal as one of an account's contacts, read-only and audited (decision 035). */
  | "contacts.view_as"
  | "outbox.read"
  /** Send a failed notification mail again (/admin/mail-queue). */
  | "mail.retry"
  | "signups.decide"
  | "audit.read"
  /** ERP connectivity: API keys, import runs, the dead letter, CSV upload, SQL sources, webhooks. */
  | "erp.manage"
  /** Answer support tickets (replies, internal notes, status). */
  | "tickets.answer"
  /** Approve or reject customers' return requests. */
  | "returns.decide";

const STAFF_PERMISSIONS: Record<StaffRole, readonly StaffPermission[]> = {
  admin: ["accounts.read", "contacts.manage", "contacts.view_as", "outbox.read", "mail.retry", "signups.decide", "audit.read", "erp.manage", "tickets.answer", "returns.decide"],
  sales: ["accounts.read", "contacts.manage", "contacts.view_as", "signups.decide", "tickets.answer", "returns.decide"],
  support: ["accounts.read", "contacts.manage", "contacts.view_as", "outbox.read", "tickets.answer", "returns.decide"],
  finance: ["accounts.read", "audit.read"],
};

export function contactCan(role: ContactRole, permission: ContactPermission): boolean {
  return CONTACT_PERMISSIONS[role].includes(permission);
}

export function staffCan(role: StaffRole, permission: StaffPermission): boolean {
  return STAFF_PERMISSIONS[role].includes(permission);
}

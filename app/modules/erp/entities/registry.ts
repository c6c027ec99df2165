import type { z } from "zod";
import { AccountSchema, AccountShape, CostCenterSchema, CostCenterShape, LocationSchema, LocationShape } from "../schemas/accounts";
import { ContactRecordSchema, ContactRecordShape } from "../schemas/contacts";
import { DocumentFileSchema, DocumentFileShape } from "../schemas/documents";
import { CreditNoteSchema, InvoiceSchema, InvoiceShape, PaymentSchema, PaymentShape } from "../schemas/invoices";
import { OrderConfirmationSchema, OrderConfirmationShape, SalesOrderSchema, SalesOrderShape } from "../schemas/orders";
import { QuoteSchema, QuoteShape, StatementSchema, StatementShape } from "../schemas/quotes";
import { DeliveryNoteSchema, DeliveryNoteShape, ShipmentSchema, ShipmentShape } from "../schemas/shipments";
import { contactApplier } from "./contacts.server";
import { recomputeInvoicePayments } from "./payments.server";
import type { ChildSpec, EntityDef, RefSpec, RefTable, Row } from "./types";

/**
 * Every ERP entity the API, the CSV feed and the SQL pull accept, in dependency order (a SQL pull
 * runs them in this order, so accounts exist before their documents).
 */

const account: RefSpec = { field: "accountErpId", table: "accounts", column: "account_id", label: "account", required: true };
const location: RefSpec = { field: "locationErpId", table: "locations", column: "location_id", label: "location", sameAccount: true };
const costCenter: RefSpec = { field: "costCenterErpId", table: "cost_centers", column: "cost_center_id", label: "cost center", sameAccount: true };
const salesOrder: RefSpec = { field: "salesOrderErpId", table: "sales_orders", column: "sales_order_id", label: "sales order", sameAccount: true };
const salesOrderLine: RefSpec = {
  field: "salesOrderLineErpId",
  table: "sales_order_lines",
  column: "sales_order_line_id",
  label: "sales order line",
  sameAccount: true,
};
const inheritAccount = ["account_id", "location_id"] as const;
const childVersion = (_item: Row, _index: number, header: Row): Row => ({ erp_version: header.erp_version });
const lineErpId = (parent: string, item: Row, index: number) => `${parent}/${String(item.lineNo ?? index + 1)}`;

const invoiceChildren: ChildSpec[] = [
  {
    field: "lines",
    table: "invoice_lines",
    parentColumn: "invoice_id",
    keyColumns: ["erp_id", "line_no"],
    defaultErpId: lineErpId,
    refs: [salesOrderLine],
    inherit: inheritAccount,
    extra: childVersion,
  },
  { field: "taxBreakdown", table: "invoice_tax_breakdown", parentColumn: "invoice_id", inherit: inheritAccount },
  {
    field: "allowanceCharges",
    table: "invoice_allowance_charges",
    parentColumn: "invoice_id",
    inherit: inheritAccount,
    extra: (_item, index) => ({ seq: index + 1 }),
  },
  { field: "payments", table: "payments", parentColumn: "invoice_id", keyColumns: ["erp_id"], inherit: inheritAccount, extra: childVersion, keepWhenAbsent: true },
];

const DOCUMENT_TABLES: Record<string, RefTable> = {
  invoice: "invoices",
  credit_note: "invoices",
  delivery_note: "delivery_notes",
  order_confirmation: "order_confirmations",
  quote: "quotes",
  statement: "statements",
};

function entity(def: Omit<EntityDef, "refs" | "selfRefs" | "children" | "fixed"> & Partial<EntityDef>): EntityDef {
  return { refs: [], selfRefs: [], children: [], fixed: {}, ...def };
}

export const ENTITIES: readonly EntityDef[] = [
  entity({
    name: "accounts",
    label: "account",
    description: "Customer companies; parentErpId builds the hierarchy (a parent may come in the same batch).",
    table: "accounts",
    schema: AccountSchema,
    shape: AccountShape,
    selfRefs: [{ field: "parentErpId", column: "parent_id", label: "account" }],
  }),
  entity({
    name: "locations",
    label: "location",
    description: "Ship-to sites and business units of an account.",
    table: "locations",
    schema: LocationSchema,
    shape: LocationShape,
    refs: [account],
  }),
  entity({
    name: "cost-centers",
    label: "cost center",
    description: "Cost centers of an account.",
    table: "cost_centers",
    schema: CostCenterSchema,
    shape: CostCenterShape,
    refs: [account],
  }),
  entity({
    name: "contacts",
    label: "contact",
    description:
      "Customer contacts and the accounts they belong to. New contacts start invited (no mail is sent); delete disables the sign-in. Memberships the ERP does not name are left alone.",
    table: "users",
    schema: ContactRecordSchema,
    shape: ContactRecordShape,
    custom: contactApplier,
    rowCollection: "memberships",
  }),
  entity({
    name: "sales-orders",
    label: "sales order",
    description: "Sales orders with their lines and fulfilment milestones.",
    table: "sales_orders",
    schema: SalesOrderSchema,
    shape: SalesOrderShape,
    refs: [account, location, costCenter, { field: "buyerContactErpId", table: "users", column: "buyer_user_id", label: "contact" }],
    rowCollection: "lines",
    children: [
      {
        field: "lines",
        table: "sales_order_lines",
        parentColumn: "sales_order_id",
        keyColumns: ["erp_id", "line_no"],
        defaultErpId: lineErpId,
        inherit: inheritAccount,
        extra: childVersion,
      },
      {
        field: "milestones",
        table: "order_milestones",
        parentColumn: "sales_order_id",
        keyColumns: ["erp_id"],
        defaultErpId: (parent, item) => `${parent}/${String(item.kind)}`,
        inherit: inheritAccount,
        extra: childVersion,
        keepWhenAbsent: true,
      },
    ],
  }),
  entity({
    name: "order-confirmations",
    label: "order confirmation",
    description: "Order confirmations; each belongs to its sales order's account.",
    table: "order_confirmations",
    schema: OrderConfirmationSchema,
    shape: OrderConfirmationShape,
    refs: [{ ...salesOrder, required: true, sameAccount: false, provides: ["account_id", "location_id"] }],
  }),
  entity({
    name: "shipments",
    label: "shipment",
    description: "Shipments (partial deliveries) with their lines and carrier tracking events.",
    table: "shipments",
    schema: ShipmentSchema,
    shape: ShipmentShape,
    refs: [account, location, salesOrder],
    rowCollection: "lines",
    children: [
      {
        field: "lines",
        table: "shipment_lines",
        parentColumn: "shipment_id",
        keyColumns: ["erp_id"],
        defaultErpId: lineErpId,
        refs: [salesOrderLine],
        inherit: inheritAccount,
        extra: childVersion,
      },
      {
        field: "trackingEvents",
        table: "tracking_events",
        parentColumn: "shipment_id",
        keyColumns: ["erp_id"],
        defaultErpId: (parent, item) => `${parent}/${String(item.occurredAt)}/${String(item.statusCode)}`,
        inherit: inheritAccount,
        extra: childVersion,
        keepWhenAbsent: true,
      },
    ],
  }),
  entity({
    name: "delivery-notes",
    label: "delivery note",
    description: "Delivery notes with their lines.",
    table: "delivery_notes",
    schema: DeliveryNoteSchema,
    shape: DeliveryNoteShape,
    refs: [account, location, salesOrder, { field: "shipmentErpId", table: "shipments", column: "shipment_id", label: "shipment", sameAccount: true }],
    rowCollection: "lines",
    children: [{ field: "lines", table: "delivery_note_lines", parentColumn: "delivery_note_id", refs: [salesOrderLine], inherit: inheritAccount }],
  }),
  entity({
    name: "invoices",
    label: "invoice",
    description:
      "Invoices with lines, document-level allowances and charges, VAT breakdown and payments. Totals left out are computed; totals sent must add up.",
    table: "invoices",
    schema: InvoiceSchema,
    shape: InvoiceShape,
    refs: [account, location, costCenter, salesOrder],
    selfRefs: [{ field: "precedingInvoiceErpId", column: "preceding_invoice_id", label: "invoice" }],
    fixed: { kind: "invoice" },
    rowCollection: "lines",
    children: invoiceChildren,
  }),
  entity({
    name: "credit-notes",
    label: "credit note",
    description: "Credit notes (positive amounts, as in EN 16931), the same record as invoices.",
    table: "invoices",
    schema: CreditNoteSchema,
    shape: InvoiceShape,
    refs: [account, location, costCenter, salesOrder],
    selfRefs: [{ field: "precedingInvoiceErpId", column: "preceding_invoice_id", label: "invoice" }],
    fixed: { kind: "credit_note" },
    rowCollection: "lines",
    children: invoiceChildren,
  }),
  entity({
    name: "payments",
    label: "payment",
    description: "Payments and refunds on their own; the invoice's paid amount, amount due and status follow from its payments.",
    table: "payments",
    schema: PaymentSchema,
    shape: PaymentShape,
    refs: [{ field: "invoiceErpId", table: "invoices", column: "invoice_id", label: "invoice", required: true, provides: ["account_id", "location_id"] }],
    afterWrite: recomputeInvoicePayments,
  }),
  entity({
    name: "quotes",
    label: "quote",
    description: "Quotes with their lines. Decisions contacts take in the portal are kept.",
    table: "quotes",
    schema: QuoteSchema,
    shape: QuoteShape,
    refs: [account, location, salesOrder],
    rowCollection: "lines",
    children: [{ field: "lines", table: "quote_lines", parentColumn: "quote_id", inherit: inheritAccount }],
  }),
  entity({
    name: "statements",
    label: "statement",
    description: "Account statements.",
    table: "statements",
    schema: StatementSchema,
    shape: StatementShape,
    refs: [account],
  }),
  entity({
    name: "document-files",
    label: "document file",
    description: "The ERP's original PDFs, certificates and data sheets: multipart with the bytes, or JSON for bytes sent before.",
    table: "document_files",
    schema: DocumentFileSchema,
    shape: DocumentFileShape,
    refs: [
      account,
      location,
      salesOrder,
      {
        field: "documentErpId",
        table: (record) => DOCUMENT_TABLES[String(record.documentType)] ?? null,
        column: "document_id",
        label: "document",
        sameAccount: true,
      },
    ],
  }),
];

export const ENTITY_NAMES = ENTITIES.map((e) => e.name);

export function findEntity(name: string): EntityDef | undefined {
  return ENTITIES.find((e) => e.name === name);
}

export type EntitySchema = z.ZodType;

import type { Faker } from "@faker-js/faker";
import type { Rng } from "../random";
import type { Country, Product } from "../reference";
import type { AccountSpec } from "./account-specs";
import type { Row } from "./tables";

/**
 * The in-memory objects the generator links documents through while it builds rows. They never
 * reach the database themselves: each one carries the `row` that does.
 */

export type Lang = "de" | "en";
export type Role = "admin" | "buyer" | "finance" | "viewer";

export interface Loc {
  id: string;
  code: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  countryCode: string;
}

export interface CostCenter {
  id: string;
  code: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  language: Lang;
  status: "invited" | "active" | "disabled";
  row: Row;
}

export interface Membership {
  user: User;
  acc: Acc;
  role: Role;
}

export interface Acc {
  id: string;
  number: string;
  name: string;
  country: Country;
  lang: Lang;
  parent: Acc | null;
  /** The account's own random stream, so one account's history does not shift when another changes. */
  rng: Rng;
  faker: Faker;
  domain: string;
  locations: Loc[];
  costCenters: CostCenter[];
  members: Membership[];
  pool: Product[];
  discountBP: number;
  terms: number;
  publicSector: boolean;
  buyerReference: string | null;
  row: Row;
  invoices: InvDoc[];
  orders: OrderDoc[];
  /** How many contacts, orders and statements this account gets. */
  spec: AccountSpec;
}

export interface PlanLine {
  product: Product;
  qtyMilli: number;
  discountBP: number;
}

export type InvoiceFate = "auto" | "paid" | "partial" | "open";

export interface OrderPlan {
  acc: Acc;
  loc: Loc;
  costCenter: CostCenter | null;
  buyer: User | null;
  buyerName: string | null;
  customerReference: string | null;
  lines: PlanLine[];
  orderDay: number;
  confirmDay: number;
  productionDay: number;
  promisedDay: number;
  requestedDay: number | null;
  fate: "normal" | "cancelled" | "on_hold";
  cancelDay: number | null;
  /** Planned shipment days (1 or 2); only those already past become shipments. */
  shipDays: number[];
  deliverDays: number[];
  /** With two shipments: the quantity of each line in the first one. */
  firstQty: number[] | null;
  invoiceFates: InvoiceFate[];
  creditNote: { mode: "partial" | "full"; afterDays: number } | null;
  /** Chance that a shipment still on its way reports a delivery exception. */
  exceptionChance: number;
}

export interface OrderLine {
  id: string;
  lineNo: number;
  product: Product;
  qtyMilli: number;
  priceTT: number;
  discountBP: number;
  net: number;
  tax: Tax;
  row: Row;
}

export interface OrderDoc {
  id: string;
  acc: Acc;
  loc: Loc;
  row: Row;
  day: number;
  lines: OrderLine[];
  status: string;
  shipments: ShipDoc[];
  invoices: InvDoc[];
}

export interface ShipDoc {
  id: string;
  row: Row;
  day: number;
  deliverDay: number;
  delivered: boolean;
}

export interface InvItem {
  line: OrderLine;
  qtyMilli: number;
}

export interface InvDoc {
  id: string;
  acc: Acc;
  order: OrderDoc | null;
  kind: "invoice" | "credit_note";
  row: Row;
  day: number;
  items: InvItem[];
  gross: number;
  prepaid: number;
  payments: { day: number; amount: number; row: Row }[];
  acs: AllowanceCharge[];
}

export interface AllowanceCharge {
  isCharge: boolean;
  amount: number;
  base: number | null;
  percentBP: number | null;
  reason: string;
  code: string;
  tax: Tax;
}

export interface LineNet {
  item: InvItem;
  gross: number;
  allowance: number;
  net: number;
  tax: Tax;
}

export interface Totals {
  breakdown: { tax: Tax; taxable: number; taxAmount: number }[];
  lineNetTotal: number;
  allowanceTotal: number;
  chargeTotal: number;
  net: number;
  taxTotal: number;
  gross: number;
}

export interface Tax {
  category: "S" | "K" | "AE" | "G";
  rateBP: number;
  reason: string | null;
  code: string | null;
}

/** Documents that get a human number and an ERP id once everything is generated (numbers follow dates). */
export interface Numbered {
  type: "order" | "confirmation" | "shipment" | "delivery_note" | "invoice" | "credit_note" | "quote";
  day: number;
  row: Row;
  children: { row: Row; suffix: string }[];
}

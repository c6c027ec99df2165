import { createHash } from "node:crypto";
import type { Faker } from "@faker-js/faker";
import { Calendar } from "./calendar";
import { germanIban, germanVatId, leitwegId, vatIdFor } from "./identifiers";
import { extend, money, percentOf, price, qty, rate } from "./money";
import { Rng } from "./random";
import { CARRIERS, COUNTRIES, HUBS, PRODUCTS, type Carrier, type Country, type FakerLocale, type Product } from "./reference";

/**
 * The demo data as plain rows per table, computed without a database: the same asOf always gives
 * the same rows (ids included). seed.ts inserts them in TABLE_ORDER.
 */

export type Row = Record<string, unknown>;

export const TABLE_ORDER = [
  "supplier_settings", "users", "accounts", "locations", "cost_centers", "memberships", "membership_locations",
  "invitations", "api_keys", "sales_orders", "sales_order_lines", "order_milestones", "order_confirmations",
  "shipments", "shipment_lines", "tracking_events", "delivery_notes", "delivery_note_lines",
  "invoices", "invoice_lines", "invoice_allowance_charges", "invoice_tax_breakdown", "payments",
  "quotes", "quote_lines", "quote_decisions", "statements", "document_files",
  "return_requests", "return_request_lines", "support_tickets", "ticket_messages", "notifications",
  "signup_requests", "import_runs", "rejected_records", "audit_events",
] as const;
export type TableName = (typeof TABLE_ORDER)[number];
export type Tables = Record<TableName, Row[]>;

export const DEMO_PASSWORD = "ledgerlight-demo";

export const DEMO_LOGINS: { email: string; role: string; note: string }[] = [
  { email: "admin@kessler.example", role: "contact admin", note: "Kessler Haustechnik GmbH (10001) + subsidiary Kessler Austria (10002); manages contacts" },
  { email: "buyer@kessler.example", role: "buyer", note: "Kessler Haustechnik GmbH (10001): orders, quotes, returns" },
  { email: "finance@kessler.example", role: "finance", note: "Kessler (10001) + Kessler Austria (10002): invoices, statements" },
  { email: "viewer@kessler.example", role: "viewer", note: "Kessler (10001), only location LNU Lager Neu-Ulm" },
  { email: "group@kessler.example", role: "buyer/finance", note: "two accounts: Kessler (10001, buyer) and Lumière Équipements SARL (10003, finance)" },
  { email: "buyer@nordhavn.example", role: "buyer", note: "Nordhavn Marine A/S (10004, DK, English), unrelated to Kessler" },
  { email: "admin@brandt-soehne.example", role: "staff admin", note: "supplier staff: everything in /admin" },
  { email: "sales@brandt-soehne.example", role: "staff sales", note: "supplier staff: accounts, contacts, sign-ups" },
  { email: "support@brandt-soehne.example", role: "staff support", note: "supplier staff: accounts, contacts, outbox" },
  { email: "finance@brandt-soehne.example", role: "staff finance", note: "supplier staff: accounts, audit trail" },
];

export const SUPPLIER = {
  legalName: "Brandt & Söhne Industrietechnik GmbH",
  tradeName: "Brandt & Söhne",
  street: "Heilbronner Straße 150",
  postalCode: "70191",
  city: "Stuttgart",
  countryCode: "DE",
};

// ---------------------------------------------------------------------------------------------
// Domain objects used while generating
// ---------------------------------------------------------------------------------------------

type Lang = "de" | "en";
type Role = "admin" | "buyer" | "finance" | "viewer";

interface Loc {
  id: string;
  code: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  countryCode: string;
}

interface CostCenter {
  id: string;
  code: string;
  name: string;
}

interface User {
  id: string;
  email: string;
  name: string;
  language: Lang;
  status: "invited" | "active" | "disabled";
  row: Row;
}

interface Membership {
  user: User;
  acc: Acc;
  role: Role;
}

interface Acc {
  id: string;
  number: string;
  name: string;
  country: Country;
  lang: Lang;
  parent: Acc | null;
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
}

interface PlanLine {
  product: Product;
  qtyMilli: number;
  discountBP: number;
}

type InvoiceFate = "auto" | "paid" | "partial" | "open";

interface OrderPlan {
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

interface OrderLine {
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

interface OrderDoc {
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

interface ShipDoc {
  id: string;
  row: Row;
  day: number;
  deliverDay: number;
  delivered: boolean;
}

interface InvItem {
  line: OrderLine;
  qtyMilli: number;
}

interface InvDoc {
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

interface AllowanceCharge {
  isCharge: boolean;
  amount: number;
  base: number | null;
  percentBP: number | null;
  reason: string;
  code: string;
  tax: Tax;
}

interface LineNet {
  item: InvItem;
  gross: number;
  allowance: number;
  net: number;
  tax: Tax;
}

interface Totals {
  breakdown: { tax: Tax; taxable: number; taxAmount: number }[];
  lineNetTotal: number;
  allowanceTotal: number;
  chargeTotal: number;
  net: number;
  taxTotal: number;
  gross: number;
}

interface Tax {
  category: "S" | "K" | "AE" | "G";
  rateBP: number;
  reason: string | null;
  code: string | null;
}

/** Documents that get a human number and an ERP id once everything is generated (numbers follow dates). */
interface Numbered {
  type: "order" | "confirmation" | "shipment" | "delivery_note" | "invoice" | "credit_note" | "quote";
  day: number;
  row: Row;
  children: { row: Row; suffix: string }[];
}

const NUMBER_FORMAT: Record<Numbered["type"], { prefix: string; erp: string }> = {
  order: { prefix: "SO", erp: "41" },
  confirmation: { prefix: "OC", erp: "42" },
  shipment: { prefix: "SH", erp: "80" },
  delivery_note: { prefix: "DN", erp: "81" },
  invoice: { prefix: "INV", erp: "90" },
  credit_note: { prefix: "CN", erp: "91" },
  quote: { prefix: "QT", erp: "20" },
};

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function fold(text: string): string {
  return text
    .replace(/ß/g, "ss")
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/Ä/g, "Ae")
    .replace(/Ö/g, "Oe")
    .replace(/Ü/g, "Ue")
    .replace(/[øØ]/g, "o")
    .replace(/[æÆ]/g, "ae")
    .replace(/[łŁ]/g, "l")
    .replace(/[œŒ]/g, "oe")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
}

function slug(text: string): string {
  return fold(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const COUNTRY_NAMES: Record<string, Record<Lang, string>> = {
  DE: { de: "Deutschland", en: "Germany" },
  AT: { de: "Österreich", en: "Austria" },
  CH: { de: "Schweiz", en: "Switzerland" },
  FR: { de: "Frankreich", en: "France" },
  NL: { de: "Niederlande", en: "Netherlands" },
  IT: { de: "Italien", en: "Italy" },
  ES: { de: "Spanien", en: "Spain" },
  PL: { de: "Polen", en: "Poland" },
  DK: { de: "Dänemark", en: "Denmark" },
  SE: { de: "Schweden", en: "Sweden" },
  GB: { de: "Vereinigtes Königreich", en: "United Kingdom" },
  US: { de: "USA", en: "United States" },
};

const TAX_TEXT = {
  K: {
    de: "Steuerfreie innergemeinschaftliche Lieferung gemäß § 4 Nr. 1b i. V. m. § 6a UStG",
    en: "Intra-community supply, exempt under Art. 138 of Directive 2006/112/EC",
    code: "VATEX-EU-IC",
  },
  AE: {
    de: "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)",
    en: "Reverse charge: VAT to be accounted for by the recipient (Art. 196 of Directive 2006/112/EC)",
    code: "VATEX-EU-AE",
  },
  G: {
    de: "Steuerfreie Ausfuhrlieferung gemäß § 4 Nr. 1a i. V. m. § 6 UStG",
    en: "Export outside the EU, exempt under Art. 146 of Directive 2006/112/EC",
    code: "VATEX-EU-G",
  },
} as const;

const JOB_TITLES: Record<Lang, Record<Role, string[]>> = {
  de: {
    admin: ["Geschäftsführer", "Leitung Einkauf", "Kaufmännische Leitung"],
    buyer: ["Einkauf", "Technischer Einkauf", "Projektleitung"],
    finance: ["Buchhaltung", "Kreditorenbuchhaltung", "Controlling"],
    viewer: ["Lagerleitung", "Instandhaltung", "Serviceleitung"],
  },
  en: {
    admin: ["Managing Director", "Head of Procurement", "Operations Manager"],
    buyer: ["Buyer", "Purchasing Manager", "Project Engineer"],
    finance: ["Accounts Payable", "Finance Manager", "Controller"],
    viewer: ["Warehouse Manager", "Maintenance Lead", "Service Engineer"],
  },
};

// ---------------------------------------------------------------------------------------------
// The accounts
// ---------------------------------------------------------------------------------------------

interface AccountSpec {
  key: string;
  country: string;
  parentKey?: string;
  publicSector?: boolean;
  orders: readonly [number, number];
  contacts: readonly [number, number];
  statements?: boolean;
  fixed?: FixedAccount;
}

interface FixedAccount {
  number: string;
  name: string;
  domain: string;
  street: string;
  postalCode: string;
  city: string;
  locations: { code: string; name: string; street: string; postalCode: string; city: string }[];
  costCenters: [string, string][];
  terms: number;
  discountBP: number;
  creditLimit: string | null;
}

const FIXED: Record<string, FixedAccount> = {
  kessler: {
    number: "10001",
    name: "Kessler Haustechnik GmbH",
    domain: "kessler.example",
    street: "Blaubeurer Straße 86",
    postalCode: "89077",
    city: "Ulm",
    locations: [
      { code: "HQ", name: "Zentrale Ulm", street: "Blaubeurer Straße 86", postalCode: "89077", city: "Ulm" },
      { code: "LNU", name: "Lager Neu-Ulm", street: "Otto-Hahn-Straße 12", postalCode: "89231", city: "Neu-Ulm" },
      { code: "MUC", name: "Niederlassung München", street: "Landsberger Straße 302", postalCode: "80687", city: "München" },
    ],
    costCenters: [["4100", "Instandhaltung"], ["4200", "Neubauprojekte"], ["4300", "Service & Wartung"]],
    terms: 30,
    discountBP: 500,
    creditLimit: "250000.00",
  },
  "kessler-at": {
    number: "10002",
    name: "Kessler Haustechnik Austria GmbH",
    domain: "kessler-austria.example",
    street: "Industriezeile 35",
    postalCode: "4020",
    city: "Linz",
    locations: [
      { code: "LNZ", name: "Standort Linz", street: "Industriezeile 35", postalCode: "4020", city: "Linz" },
      { code: "GRZ", name: "Servicestützpunkt Graz", street: "Puchstraße 85", postalCode: "8020", city: "Graz" },
    ],
    costCenters: [["A-100", "Projekte"]],
    terms: 30,
    discountBP: 500,
    creditLimit: "80000.00",
  },
  lumiere: {
    number: "10003",
    name: "Lumière Équipements SARL",
    domain: "lumiere-equipements.example",
    street: "17 Rue Garibaldi",
    postalCode: "69006",
    city: "Lyon",
    locations: [
      { code: "LYO", name: "Siège Lyon", street: "17 Rue Garibaldi", postalCode: "69006", city: "Lyon" },
      { code: "GRE", name: "Atelier Grenoble", street: "8 Rue des Arts et Métiers", postalCode: "38000", city: "Grenoble" },
    ],
    costCenters: [],
    terms: 45,
    discountBP: 300,
    creditLimit: "60000.00",
  },
  nordhavn: {
    number: "10004",
    name: "Nordhavn Marine A/S",
    domain: "nordhavn.example",
    street: "Havnegade 21",
    postalCode: "6700",
    city: "Esbjerg",
    locations: [
      { code: "EBJ", name: "Esbjerg Shipyard", street: "Havnegade 21", postalCode: "6700", city: "Esbjerg" },
      { code: "AAR", name: "Aarhus Service Base", street: "Sydhavnsgade 9", postalCode: "8000", city: "Aarhus" },
    ],
    costCenters: [["NB-310", "Newbuilds"], ["SR-420", "Ship repair"]],
    terms: 30,
    discountBP: 800,
    creditLimit: "150000.00",
  },
};

function accountSpecs(): AccountSpec[] {
  const specs: AccountSpec[] = [
    { key: "kessler", country: "DE", orders: [45, 45], contacts: [0, 0], statements: true, fixed: FIXED.kessler },
    { key: "kessler-at", country: "AT", parentKey: "kessler", orders: [14, 14], contacts: [2, 2], statements: true, fixed: FIXED["kessler-at"] },
    { key: "lumiere", country: "FR", orders: [18, 18], contacts: [2, 2], statements: true, fixed: FIXED.lumiere },
    { key: "nordhavn", country: "DK", orders: [22, 22], contacts: [2, 2], statements: true, fixed: FIXED.nordhavn },
  ];
  const topLevel: [string, number, string[]?][] = [
    ["DE", 1, ["DE", "PL", "CH"]], ["DE", 2], ["DE", 3], ["DE", 4], ["DE", 5],
    ["DE", 6, undefined], ["DE", 7, undefined], ["DE", 8, undefined],
    ["AT", 1], ["AT", 2], ["FR", 1, ["ES"]], ["FR", 2], ["NL", 1, ["NL"]], ["NL", 2], ["NL", 3],
    ["IT", 1, ["IT"]], ["IT", 2], ["ES", 1], ["ES", 2], ["PL", 1], ["PL", 2], ["DK", 1],
    ["SE", 1, ["DK"]], ["SE", 2], ["CH", 1], ["CH", 2], ["GB", 1, ["GB"]], ["US", 1],
  ];
  topLevel.forEach(([country, n, subs], index) => {
    const key = `${country.toLowerCase()}-${n}`;
    specs.push({
      key,
      country,
      // Three German public-sector buyers, invoiced with a Leitweg-ID (XRechnung).
      publicSector: country === "DE" && n >= 6,
      orders: [5, 40],
      contacts: [2, 5],
      statements: index % 3 === 0,
    });
    (subs ?? []).forEach((subCountry, s) => {
      specs.push({ key: `${key}-sub-${s + 1}`, country: subCountry, parentKey: key, orders: [3, 15], contacts: [2, 3] });
    });
  });
  return specs;
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

export interface GeneratedData {
  tables: Tables;
  asOf: string;
}

export async function generateDemoData(options: { asOf: string; passwordHash: string }): Promise<GeneratedData> {
  // Loaded here, not at module level: faker is a dev dependency and only seeding needs it.
  const fakerModule = await import("@faker-js/faker");
  const fakers = Object.fromEntries(
    Object.values(COUNTRIES).map((c) => [c.fakerLocale, fakerModule[c.fakerLocale]]),
  ) as Record<FakerLocale, Faker>;
  return new Generator(options.asOf, options.passwordHash, fakers).run();
}

class Generator {
  readonly cal: Calendar;
  readonly tables = Object.fromEntries(TABLE_ORDER.map((t) => [t, [] as Row[]])) as Tables;
  readonly accounts: Acc[] = [];
  readonly byKey = new Map<string, Acc>();
  readonly emails = new Set<string>();
  readonly domains = new Set<string>();
  readonly numbered: Numbered[] = [];
  readonly afterNumbering: (() => void)[] = [];
  readonly staff = new Map<string, User>();
  readonly users = new Map<string, User>();
  private nextAccountNumber = 10005;

  constructor(
    asOf: string,
    private readonly passwordHash: string,
    private readonly fakers: Record<FakerLocale, Faker>,
  ) {
    this.cal = new Calendar(asOf);
  }

  run(): GeneratedData {
    this.supplier();
    this.staffUsers();
    for (const spec of accountSpecs()) this.account(spec);
    this.kesslerContacts();
    this.otherFixedContacts();
    for (const acc of this.accounts) {
      if (acc.number !== "10001") this.randomContacts(acc);
    }
    for (const acc of this.accounts) this.accountDocuments(acc);
    this.kesslerScenarios();
    this.assignNumbers();
    for (const fn of this.afterNumbering) fn();
    for (const acc of this.accounts) this.statements(acc);
    this.portalRecords();
    this.assignPaymentIds();
    // Parents before children inside self-referencing tables.
    this.tables.invoices.sort((a, b) => Number(a.kind === "credit_note") - Number(b.kind === "credit_note"));
    return { tables: this.tables, asOf: this.cal.asOf };
  }

  // ---- supplier and staff ---------------------------------------------------------------------

  private supplier() {
    const rng = new Rng("supplier");
    this.tables.supplier_settings.push({
      id: 1,
      legal_name: SUPPLIER.legalName,
      trade_name: SUPPLIER.tradeName,
      vat_id: germanVatId(rng),
      tax_number: `99015/${rng.digits(5)}`,
      commercial_register: "Amtsgericht Stuttgart HRB 723419",
      managing_directors: "Friederike Brandt, Johannes Brandt",
      street: SUPPLIER.street,
      postal_code: SUPPLIER.postalCode,
      city: SUPPLIER.city,
      country_code: SUPPLIER.countryCode,
      email: "rechnung@brandt-soehne.example",
      phone: "+49 711 2566-0",
      contact_name: "Sabine Krüger",
      electronic_address: "rechnung@brandt-soehne.example",
      website: "https://www.brandt-soehne.example",
      iban: germanIban("60050101", rng.digits(10)),
      bic: "SOLADEST600",
      bank_name: "Baden-Württembergische Bank",
      base_currency: "EUR",
      brand_color: "#0b5c7a",
      logo_svg: LOGO_SVG,
      default_language: "de",
      self_signup_enabled: true,
      payment_terms_text: "Zahlbar innerhalb von 30 Tagen nach Rechnungsdatum ohne Abzug.",
    });
  }

  private staffUsers() {
    const rng = new Rng("staff");
    const staff: [string, string, string, string][] = [
      ["admin", "Katrin Brandt", "Leitung Vertriebsinnendienst", "admin@brandt-soehne.example"],
      ["sales", "Florian Maier", "Vertrieb Süddeutschland", "sales@brandt-soehne.example"],
      ["support", "Aylin Demir", "Kundenservice", "support@brandt-soehne.example"],
      ["finance", "Stefan Wolf", "Debitorenbuchhaltung", "finance@brandt-soehne.example"],
      ["sales", "Claire Dubois", "Export Sales Western Europe", "c.dubois@brandt-soehne.example"],
    ];
    for (const [role, name, title, email] of staff) {
      const user = this.user(rng, {
        email,
        name,
        kind: "staff",
        staffRole: role,
        language: email.startsWith("c.dubois") ? "en" : "de",
        status: "active",
        jobTitle: title,
        phone: `+49 711 2566-${rng.int(100, 399)}`,
        erpId: null,
      });
      this.staff.set(email.split("@")[0], user);
    }
  }

  private user(
    rng: Rng,
    u: {
      email: string;
      name: string;
      kind: "contact" | "staff";
      staffRole?: string;
      language: Lang;
      status: "invited" | "active" | "disabled";
      jobTitle?: string | null;
      phone?: string | null;
      erpId: string | null;
      lastLoginDay?: number | null;
    },
  ): User {
    if (this.emails.has(u.email)) throw new Error(`duplicate demo email ${u.email}`);
    this.emails.add(u.email);
    const id = rng.uuid();
    const row: Row = {
      id,
      email: u.email,
      name: u.name,
      kind: u.kind,
      staff_role: u.staffRole ?? null,
      password_hash: u.status === "invited" ? null : this.passwordHash,
      language: u.language,
      status: u.status,
      phone: u.phone ?? null,
      job_title: u.jobTitle ?? null,
      erp_id: u.erpId,
      erp_version: u.erpId ? 1 : 0,
      last_login_at: u.lastLoginDay != null ? this.cal.at(u.lastLoginDay, rng.int(7 * 60, 17 * 60)) : null,
    };
    this.tables.users.push(row);
    const user: User = { id, email: u.email, name: u.name, language: u.language, status: u.status, row };
    this.users.set(u.email, user);
    return user;
  }

  // ---- accounts -------------------------------------------------------------------------------

  private account(spec: AccountSpec) {
    const country = COUNTRIES[spec.country];
    const rng = new Rng(`account:${spec.key}`);
    const faker = this.fakers[country.fakerLocale];
    faker.seed(rng.seed());
    const parent = spec.parentKey ? this.byKey.get(spec.parentKey) ?? null : null;
    const fixed = spec.fixed;
    const number = fixed?.number ?? String(this.nextAccountNumber++);

    let name: string;
    let domain: string;
    let city: string;
    let postalCode: string;
    let street: string;
    let publicSector = false;
    if (fixed) {
      ({ name, domain, city, postalCode, street } = fixed);
    } else {
      [city, postalCode] = rng.pick(country.cities);
      street = this.street(country, faker, rng);
      if (spec.publicSector) {
        publicSector = true;
        const kind = rng.pick(["Stadtentwässerung", "Stadtwerke", "Universitätsklinikum", "Stadt"]);
        name = kind === "Stadtwerke" ? `Stadtwerke ${city} GmbH` : kind === "Stadt" ? `Stadt ${city} – Hochbauamt` : `${kind} ${city} AöR`;
        domain = `${slug(kind)}-${slug(city)}.example`;
      } else if (parent) {
        const base = parent.name.replace(/\s+(GmbH & Co\. KG|GmbH|AG|KG|SARL|SAS|SA|B\.V\.|N\.V\.|S\.r\.l\.|S\.p\.A\.|S\.L\.|Sp\. z o\.o\.|A\/S|ApS|AB|Ltd|plc|Inc\.|LLC|GesmbH)$/, "");
        const suffix = spec.country === parent.country.code ? ` ${city}` : ` ${COUNTRY_NAMES[spec.country].en}`;
        name = `${base}${suffix} ${rng.pick(country.legalForms)}`;
        domain = `${slug(base)}-${slug(spec.country === parent.country.code ? city : spec.country)}.example`;
      } else {
        const rawLast = faker.person.lastName();
        const last = rawLast.charAt(0).toUpperCase() + rawLast.slice(1);
        const trade = rng.pick(country.trades);
        const form = rng.pick(country.legalForms);
        const tradeFirst = ["FR", "IT", "ES"].includes(country.code);
        name = tradeFirst ? `${trade} ${last} ${form}` : `${last} ${trade} ${form}`;
        domain = `${slug(last)}-${slug(trade.split(" ")[0])}.example`;
      }
    }
    while (this.domains.has(domain)) domain = domain.replace(/\.example$/, `-${rng.int(2, 9)}.example`);
    this.domains.add(domain);

    const id = rng.uuid();
    const accErp = number.padStart(10, "0");
    const buyerReference = publicSector ? leitwegId(`0${rng.int(1, 9)}${rng.digits(3)}000`, rng.digits(5)) : null;
    const terms = fixed?.terms ?? rng.weighted([[30, 6], [14, 1], [45, 2], [60, 1]] as const);
    const lang = country.language;
    const row: Row = {
      id,
      erp_id: accErp,
      erp_version: rng.int(1, 6),
      parent_id: parent?.id ?? null,
      number,
      name,
      vat_id: vatIdFor(country.code, rng),
      country_code: country.code,
      language: lang,
      currency: country.currency,
      buyer_reference: buyerReference,
      einvoice_address: `${lang === "de" ? "rechnung" : "invoices"}@${domain}`,
      street,
      postal_code: postalCode,
      city,
      email: `info@${domain}`,
      phone: `${country.phone} ${rng.digits(3)} ${rng.digits(6)}`,
      payment_terms_days: terms,
      credit_limit: fixed ? fixed.creditLimit : rng.chance(0.8) ? money(rng.int(5, 100) * 5000 * 100) : null,
      status: "active",
    };
    this.tables.accounts.push(row);

    const acc: Acc = {
      id,
      number,
      name,
      country,
      lang,
      parent,
      rng,
      faker,
      domain,
      locations: [],
      costCenters: [],
      members: [],
      pool: [],
      discountBP: fixed?.discountBP ?? rng.pick([0, 0, 300, 500, 800, 1000, 1250]),
      terms,
      publicSector,
      buyerReference,
      row,
      invoices: [],
      orders: [],
    };

    // Locations: the first is the registered address.
    const locSpecs =
      fixed?.locations ??
      (() => {
        const n = rng.weighted([[1, 3], [2, 4], [3, 2], [4, 1]] as const);
        const names = lang === "de"
          ? ["Zentrale", "Werk", "Lager", "Niederlassung", "Baustellenlager", "Servicestützpunkt"]
          : ["Head office", "Plant", "Warehouse", "Branch", "Site store", "Service base"];
        const out = [{ code: "HQ", name: `${names[0]} ${city}`, street, postalCode, city }];
        const others = rng.sample(country.cities.filter(([c]) => c !== city), n - 1);
        others.forEach(([c, p], i) => {
          out.push({ code: `${String(i + 2).padStart(2, "0")}`, name: `${names[1 + ((i + rng.int(0, 4)) % 5)]} ${c}`, street: this.street(country, faker, rng), postalCode: p, city: c });
        });
        return out;
      })();
    locSpecs.forEach((l, i) => {
      const loc: Loc = { id: rng.uuid(), code: l.code, name: l.name, street: l.street, postalCode: l.postalCode, city: l.city, countryCode: country.code };
      acc.locations.push(loc);
      this.tables.locations.push({
        id: loc.id,
        erp_id: `${accErp}-WE${String(i + 1).padStart(2, "0")}`,
        erp_version: 1,
        account_id: id,
        code: loc.code,
        name: loc.name,
        street: loc.street,
        postal_code: loc.postalCode,
        city: loc.city,
        country_code: country.code,
        is_default_ship_to: i === 0,
      });
    });

    const ccSpecs: [string, string][] =
      fixed?.costCenters ??
      rng.sample(
        (lang === "de"
          ? [["4100", "Instandhaltung"], ["4200", "Projekte"], ["4300", "Service"], ["5100", "Produktion"]]
          : [["MNT", "Maintenance"], ["PRJ", "Projects"], ["SVC", "Service"], ["PRD", "Production"]]) as [string, string][],
        rng.weighted([[0, 3], [1, 2], [2, 2], [3, 1]] as const),
      );
    for (const [code, ccName] of ccSpecs) {
      const cc: CostCenter = { id: rng.uuid(), code, name: ccName };
      acc.costCenters.push(cc);
      this.tables.cost_centers.push({ id: cc.id, erp_id: `${accErp}-KST${code}`, erp_version: 1, account_id: id, code, name: ccName });
    }

    // The products this customer buys.
    const goods = PRODUCTS.filter((p) => p.kind === "goods");
    const extras = PRODUCTS.filter((p) => p.kind !== "goods" && (p.kind !== "service" || country.zone !== "EXPORT"));
    acc.pool = [...rng.sample(goods, rng.int(10, 18)), ...rng.sample(extras, rng.int(0, 2))];
    if (spec.key === "kessler") {
      acc.pool = [...goods.filter((p) => /^(PMP|VLV|FIT|SNS-PT|SNS-TT|CBL-NYM|KIT)/.test(p.sku)), ...PRODUCTS.filter((p) => p.sku === "DOC-HB-PUMP" || p.sku === "SVC-COMM")];
    }
    if (spec.key === "nordhavn") {
      acc.pool = PRODUCTS.filter((p) => /^(PMP|VLV|KIT|BRG-22212|DRV|SNS-LV|HOS|LUB)/.test(p.sku) || p.sku === "SVC-REPAIR");
    }

    this.accounts.push(acc);
    this.byKey.set(spec.key, acc);
    (acc as Acc & { spec: AccountSpec }).spec = spec;
  }

  private street(country: Country, faker: Faker, rng: Rng): string {
    if (country.streets) {
      const s = rng.pick(country.streets);
      return country.code === "US" ? `${rng.int(100, 9999)} ${s}` : `${rng.int(1, 240)} ${s}`;
    }
    return faker.location.streetAddress();
  }

  private specOf(acc: Acc): AccountSpec {
    return (acc as Acc & { spec: AccountSpec }).spec;
  }

  private member(acc: Acc, user: User, role: Role, includeSubsidiaries: boolean, locations: Loc[] = []) {
    const id = acc.rng.uuid();
    this.tables.memberships.push({ id, user_id: user.id, account_id: acc.id, role, include_subsidiaries: includeSubsidiaries });
    for (const loc of locations) this.tables.membership_locations.push({ membership_id: id, location_id: loc.id });
    acc.members.push({ user, acc, role });
  }

  private kesslerContacts() {
    const kessler = this.byKey.get("kessler")!;
    const lumiere = this.byKey.get("lumiere")!;
    const rng = new Rng("kessler-contacts");
    const lnu = kessler.locations.find((l) => l.code === "LNU")!;
    const contact = (email: string, name: string, title: string, status: User["status"] = "active", erp: string | null = null) =>
      this.user(rng, { email, name, kind: "contact", language: "de", status, jobTitle: title, phone: `+49 731 9402-${rng.int(10, 99)}`, erpId: erp });
    const admin = contact("admin@kessler.example", "Thomas Kessler", "Geschäftsführer", "active", "AP-100011");
    const buyer = contact("buyer@kessler.example", "Sandra Vogt", "Einkauf", "active", "AP-100012");
    const finance = contact("finance@kessler.example", "Markus Brenner", "Buchhaltung", "active", "AP-100013");
    const viewer = contact("viewer@kessler.example", "Lena Hofmann", "Lagerleitung Neu-Ulm", "active", "AP-100014");
    const group = contact("group@kessler.example", "Daniel Roth", "Konzerneinkauf", "active", "AP-100015");
    const invited = contact("m.weber@kessler.example", "Michael Weber", "Projektleitung", "invited");
    const disabled = contact("j.huber@kessler.example", "Jonas Huber", "Einkauf (ausgeschieden)", "disabled");
    this.member(kessler, admin, "admin", true);
    this.member(kessler, buyer, "buyer", false);
    this.member(kessler, finance, "finance", true);
    this.member(kessler, viewer, "viewer", false, [lnu]);
    this.member(kessler, group, "buyer", false);
    this.member(lumiere, group, "finance", false);
    this.member(kessler, invited, "buyer", false);
    this.member(kessler, disabled, "buyer", false);
    this.tables.invitations.push({
      id: rng.uuid(),
      token_hash: sha256(`demo-invitation:${invited.email}`),
      user_id: invited.id,
      account_id: kessler.id,
      invited_by: admin.id,
      expires_at: this.cal.at(7, 12 * 60),
      accepted_at: null,
      revoked_at: null,
    });
  }

  private otherFixedContacts() {
    const nordhavn = this.byKey.get("nordhavn")!;
    const rng = new Rng("nordhavn-contacts");
    const buyer = this.user(rng, {
      email: "buyer@nordhavn.example",
      name: "Mette Sørensen",
      kind: "contact",
      language: "en",
      status: "active",
      jobTitle: "Purchasing Manager",
      phone: "+45 75 12 34 56",
      erpId: "AP-100041",
    });
    this.member(nordhavn, buyer, "buyer", false);
  }

  private randomContacts(acc: Acc) {
    const spec = this.specOf(acc);
    const { rng, faker, country } = acc;
    const count = rng.int(spec.contacts[0], spec.contacts[1]);
    const hasSubs = this.accounts.some((a) => a.parent === acc);
    for (let i = 0; i < count; i++) {
      const role: Role = i === 0 && acc.members.every((m) => m.role !== "admin")
        ? "admin"
        : rng.weighted([["buyer", 4], ["finance", 2.5], ["viewer", 2], ["admin", 1]] as const);
      const sex = rng.pick(["female", "male"] as const);
      const first = faker.person.firstName(sex);
      const last = faker.person.lastName(sex);
      let email = `${slug(first).replace(/-/g, "")}.${slug(last).replace(/-/g, "")}@${acc.domain}`;
      while (this.emails.has(email)) email = email.replace("@", String(rng.int(1, 9)) + "@");
      const status: User["status"] = rng.chance(0.04) ? "disabled" : "active";
      const user = this.user(rng, {
        email,
        name: `${first} ${last}`,
        kind: "contact",
        language: acc.lang,
        status,
        jobTitle: rng.pick(JOB_TITLES[acc.lang][role]),
        phone: `${country.phone} ${rng.digits(3)} ${rng.digits(6)}`,
        erpId: `AP-${acc.number}${String(i + 1).padStart(2, "0")}`,
        lastLoginDay: status === "active" && rng.chance(0.6) ? -rng.int(1, 60) : null,
      });
      const includeSubs = hasSubs && (role === "admin" || role === "finance") && rng.chance(0.7);
      const restricted = acc.locations.length > 1 && (role === "buyer" || role === "viewer") && rng.chance(0.3)
        ? [rng.pick(acc.locations.slice(1))]
        : [];
      this.member(acc, user, role, includeSubs, restricted);
    }
  }

  // ---- prices and taxes -----------------------------------------------------------------------

  private priceTT(acc: Acc, product: Product): number {
    const [euros, cents = "00"] = product.price.split(".");
    const eurCents = Number(euros) * 100 + Number(cents.padEnd(2, "0"));
    // Converted list prices are rounded to whole cents, then stored with 4 decimals.
    return Math.round(eurCents * acc.country.fx) * 100;
  }

  private taxFor(acc: Acc, product: Product): Tax {
    const zone = acc.country.zone;
    if (zone === "DE") return { category: "S", rateBP: product.kind === "reduced" ? 700 : 1900, reason: null, code: null };
    const category = zone === "EXPORT" ? "G" : product.kind === "service" ? "AE" : "K";
    return { category, rateBP: 0, reason: TAX_TEXT[category][acc.lang], code: TAX_TEXT[category].code };
  }

  /** Per VAT category and rate: taxable amount and tax (rounded once per group, as BR-CO-17 expects). */
  private taxGroups(items: { tax: Tax; net: number }[]) {
    const groups = new Map<string, { tax: Tax; taxable: number }>();
    for (const item of items) {
      const key = `${item.tax.category}|${item.tax.rateBP}`;
      const g = groups.get(key) ?? { tax: item.tax, taxable: 0 };
      g.taxable += item.net;
      groups.set(key, g);
    }
    return [...groups.values()].map((g) => ({ ...g, taxAmount: percentOf(g.taxable, g.tax.rateBP) }));
  }

  // ---- orders ---------------------------------------------------------------------------------

  private address(acc: Acc, loc: Loc): string {
    return [acc.name, loc.name, loc.street, `${loc.postalCode} ${loc.city}`, COUNTRY_NAMES[loc.countryCode][acc.lang]].join("\n");
  }

  private pickLines(acc: Acc, rng: Rng): PlanLine[] {
    const n = rng.weighted([[1, 2], [2, 3], [3, 3], [4, 2], [5, 1], [6, 1]] as const);
    const products = rng.sample(acc.pool, n);
    if (products.every((p) => p.kind === "service")) products.push(rng.pick(acc.pool.filter((p) => p.kind !== "service")));
    return products.map((product) => this.planLine(acc, rng, product));
  }

  private planLine(acc: Acc, rng: Rng, product: Product, quantity?: number): PlanLine {
    const [min, max, step] = product.qty;
    const units = quantity ?? step * rng.int(Math.ceil(min / step), Math.floor(max / step));
    return { product, qtyMilli: units * 1000, discountBP: product.kind === "service" ? 0 : acc.discountBP };
  }

  private splitFirst(rng: Rng, lines: PlanLine[]): number[] | null {
    const goods = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.product.kind !== "service");
    if (goods.length === 0) return null;
    const first = lines.map((l) => l.qtyMilli);
    const partialCount = goods.length === 1 ? 1 : rng.int(1, Math.min(2, goods.length));
    const chosen = rng.sample(goods, partialCount);
    for (const { l, i } of chosen) {
      const step = l.product.qty[2] * 1000;
      const units = l.qtyMilli / step;
      if (units >= 2) first[i] = step * Math.max(1, Math.floor(units * (0.3 + rng.next() * 0.5)));
      else first[i] = 0;
    }
    // Sometimes a whole line waits for the second delivery.
    if (goods.length >= 3 && rng.chance(0.4)) {
      const wait = rng.pick(goods.filter(({ i }) => first[i] === lines[i].qtyMilli));
      if (wait) first[wait.i] = 0;
    }
    const shipsSomething = goods.some(({ i }) => first[i] > 0);
    const leavesSomething = goods.some(({ i, l }) => first[i] < l.qtyMilli);
    if (!shipsSomething || !leavesSomething) return null;
    return first;
  }

  private randomPlan(acc: Acc, rng: Rng, overrides: Partial<OrderPlan> = {}): OrderPlan {
    const cal = this.cal;
    const orderDay = overrides.orderDay ?? cal.back(-rng.int(1, 540));
    const lines = overrides.lines ?? this.pickLines(acc, rng);
    const confirmDay = cal.fwd(orderDay + rng.int(1, 2));
    const productionDay = cal.fwd(confirmDay + rng.int(1, 4));
    const lead = rng.int(8, 30) + (acc.country.zone === "EXPORT" ? 5 : 0);
    const promisedDay = cal.fwd(orderDay + lead);
    const requestedDay = rng.chance(0.6) ? cal.fwd(orderDay + Math.max(3, lead - rng.int(0, 7))) : null;
    let ship1 = cal.back(promisedDay + rng.weighted([[-2, 1], [0, 4], [2, 2], [5, 1], [12, 0.5]] as const));
    if (ship1 <= productionDay) ship1 = cal.fwd(productionDay + 1);
    const firstQty = rng.chance(0.22) ? this.splitFirst(rng, lines) : null;
    const shipDays = firstQty ? [ship1, cal.back(ship1 + rng.int(7, 35))] : [ship1];
    const [tMin, tMax] = acc.country.transit;
    const deliverDays = shipDays.map((d) => cal.fwd(d + rng.int(tMin, tMax)));
    let fate: OrderPlan["fate"] = "normal";
    let cancelDay: number | null = null;
    if (orderDay <= -20 && rng.chance(0.04)) {
      fate = "cancelled";
      cancelDay = cal.back(orderDay + rng.int(1, 12));
      if (cancelDay < orderDay) cancelDay = orderDay;
    } else if (orderDay > -40 && rng.chance(0.04)) {
      fate = "on_hold";
    }
    const buyers = acc.members.filter((m) => (m.role === "buyer" || m.role === "admin") && m.user.status === "active");
    const buyerMember = buyers.length > 0 && rng.chance(0.7) ? rng.pick(buyers) : null;
    const locWeights = acc.locations.map((l, i) => [l, i === 0 ? 5 : 3] as const);
    const plan: OrderPlan = {
      acc,
      loc: rng.weighted(locWeights),
      costCenter: acc.costCenters.length > 0 && rng.chance(0.6) ? rng.pick(acc.costCenters) : null,
      buyer: buyerMember?.user ?? null,
      buyerName: buyerMember?.user.name ?? (rng.chance(0.5) ? acc.faker.person.fullName() : null),
      customerReference: rng.chance(0.9) ? `${rng.pick(acc.country.poPrefix)}${rng.digits(rng.int(5, 7))}` : null,
      lines,
      orderDay,
      confirmDay,
      productionDay,
      promisedDay,
      requestedDay,
      fate,
      cancelDay,
      shipDays,
      deliverDays,
      firstQty,
      invoiceFates: [],
      creditNote: rng.chance(0.06) ? { mode: rng.chance(0.75) ? "partial" : "full", afterDays: rng.int(4, 40) } : null,
      exceptionChance: 0.15,
      ...overrides,
    };
    return plan;
  }

  private accountDocuments(acc: Acc) {
    const spec = this.specOf(acc);
    const rng = acc.rng;
    const count = rng.int(spec.orders[0], spec.orders[1]);
    for (let i = 0; i < count; i++) this.realizeOrder(this.randomPlan(acc, rng));
    this.randomQuotes(acc);
    this.dataSheets(acc);
  }

  private realizeOrder(plan: OrderPlan): OrderDoc {
    const { acc, loc } = plan;
    const { rng } = acc;
    const cal = this.cal;
    const past = (day: number) => day <= -1;
    const currency = acc.country.currency;
    const orderId = rng.uuid();

    const lines: OrderLine[] = plan.lines.map((pl, i) => {
      const priceTT = this.priceTT(acc, pl.product);
      const gross = extend(pl.qtyMilli, priceTT);
      const net = gross - percentOf(gross, pl.discountBP);
      return { id: rng.uuid(), lineNo: i + 1, product: pl.product, qtyMilli: pl.qtyMilli, priceTT, discountBP: pl.discountBP, net, tax: this.taxFor(acc, pl.product), row: {} };
    });

    const cancelled = plan.fate === "cancelled";
    const pastShipDays = cancelled || plan.fate === "on_hold" || !past(plan.confirmDay) ? [] : plan.shipDays.filter(past);
    const shipQty = (k: number, line: OrderLine, idx: number): number => {
      if (line.product.kind === "service") return 0;
      if (plan.shipDays.length === 1) return line.qtyMilli;
      const first = plan.firstQty?.[idx] ?? line.qtyMilli;
      return k === 0 ? first : line.qtyMilli - first;
    };
    const deliveredFlags = pastShipDays.map((_, k) => past(plan.deliverDays[k]));
    let status: string;
    if (cancelled) status = "cancelled";
    else if (!past(plan.confirmDay)) status = "open";
    else if (plan.fate === "on_hold") status = "on_hold";
    else if (pastShipDays.length === 0) status = past(plan.productionDay) ? "in_production" : "confirmed";
    else if (pastShipDays.length < plan.shipDays.length) status = "partially_shipped";
    else status = deliveredFlags.every(Boolean) ? "completed" : "shipped";

    const groups = this.taxGroups(lines);
    const netTotal = lines.reduce((s, l) => s + l.net, 0);
    const taxTotal = groups.reduce((s, g) => s + g.taxAmount, 0);
    const orderRow: Row = {
      id: orderId,
      erp_id: null,
      erp_version: rng.int(1, 4),
      account_id: acc.id,
      location_id: loc.id,
      cost_center_id: plan.costCenter?.id ?? null,
      number: null,
      customer_reference: plan.customerReference,
      buyer_name: plan.buyerName,
      buyer_user_id: plan.buyer?.id ?? null,
      status,
      order_date: cal.date(plan.orderDay),
      requested_delivery_date: plan.requestedDay != null ? cal.date(plan.requestedDay) : null,
      promised_delivery_date: cancelled ? null : cal.date(plan.shipDays.length > 1 && status === "partially_shipped" ? plan.shipDays[1] : plan.promisedDay),
      currency,
      net_amount: money(netTotal),
      tax_amount: money(taxTotal),
      gross_amount: money(netTotal + taxTotal),
      incoterms: acc.country.zone === "DE" ? "DAP" : acc.country.code === "US" ? "FCA Hamburg" : rng.pick(["DAP", "FCA Stuttgart", "CPT"]),
      shipping_address: this.address(acc, loc),
      note: plan.fate === "on_hold"
        ? acc.lang === "de" ? "Auftrag angehalten: Freigabe der technischen Zeichnung durch den Kunden ausstehend." : "On hold: awaiting the customer's approval of the technical drawing."
        : null,
    };
    this.tables.sales_orders.push(orderRow);
    const order: OrderDoc = { id: orderId, acc, loc, row: orderRow, day: plan.orderDay, lines, status, shipments: [], invoices: [] };
    acc.orders.push(order);
    const orderNumbered: Numbered = { type: "order", day: plan.orderDay, row: orderRow, children: [] };
    this.numbered.push(orderNumbered);

    // Quantities as of now.
    const shipped = lines.map((line, idx) => {
      if (line.product.kind === "service") return pastShipDays.length > 0 ? line.qtyMilli : 0;
      return pastShipDays.reduce((sum, _, k) => sum + shipQty(k, line, idx), 0);
    });
    lines.forEach((line, idx) => {
      const s = shipped[idx];
      const backordered = status === "partially_shipped" ? line.qtyMilli - s : 0;
      let lineStatus: string;
      if (cancelled) lineStatus = "cancelled";
      else if (["open", "confirmed", "in_production", "on_hold"].includes(status)) lineStatus = status;
      else if (s === line.qtyMilli) lineStatus = status === "completed" ? "completed" : "shipped";
      else if (s > 0) lineStatus = "partially_shipped";
      else lineStatus = "backordered";
      line.row = {
        id: line.id,
        erp_id: null,
        erp_version: 1,
        account_id: acc.id,
        location_id: loc.id,
        sales_order_id: orderId,
        line_no: line.lineNo,
        sku: line.product.sku,
        description: line.product[acc.lang],
        unit: line.product.unit,
        quantity_ordered: qty(line.qtyMilli),
        quantity_shipped: qty(s),
        quantity_backordered: qty(backordered),
        quantity_cancelled: qty(cancelled ? line.qtyMilli : 0),
        quantity_invoiced: qty(s),
        unit_price: price(line.priceTT),
        discount_percent: rate(line.discountBP),
        vat_rate: rate(line.tax.rateBP),
        net_amount: money(line.net),
        requested_date: orderRow.requested_delivery_date,
        promised_date: cancelled ? null : cal.date(plan.shipDays.length > 1 && shipQty(0, line, idx) < line.qtyMilli ? plan.shipDays[1] : plan.promisedDay),
        status: lineStatus,
      };
      this.tables.sales_order_lines.push(line.row);
      orderNumbered.children.push({ row: line.row, suffix: `/${String(line.lineNo * 10).padStart(6, "0")}` });
    });

    // Milestones.
    const milestones: { kind: string; occurred: [number, number] | null; expected: [number, number] | null; note?: string }[] = [];
    milestones.push({ kind: "received", occurred: [plan.orderDay, rng.int(7 * 60, 16 * 60)], expected: null });
    if (cancelled) {
      if (plan.cancelDay! > plan.confirmDay && past(plan.confirmDay)) milestones.push({ kind: "confirmed", occurred: [plan.confirmDay, 10 * 60], expected: null });
      milestones.push({
        kind: "cancelled",
        occurred: [plan.cancelDay!, rng.int(8 * 60, 16 * 60)],
        expected: null,
        note: acc.lang === "de" ? "Storniert auf Wunsch des Kunden" : "Cancelled at the customer's request",
      });
    } else {
      milestones.push(past(plan.confirmDay) ? { kind: "confirmed", occurred: [plan.confirmDay, 10 * 60], expected: null } : { kind: "confirmed", occurred: null, expected: [plan.confirmDay, 12 * 60] });
      if (plan.fate !== "on_hold") {
        const lastShip = plan.shipDays[plan.shipDays.length - 1];
        const lastDeliver = plan.deliverDays[plan.deliverDays.length - 1];
        milestones.push(past(plan.productionDay) ? { kind: "in_production", occurred: [plan.productionDay, 7 * 60], expected: null } : { kind: "in_production", occurred: null, expected: [plan.productionDay, 7 * 60] });
        if (pastShipDays.length > 0) milestones.push({ kind: "ready_to_ship", occurred: [pastShipDays[0], 9 * 60], expected: null });
        if (plan.shipDays.length > 1 && pastShipDays.length > 0) milestones.push({ kind: "partially_shipped", occurred: [plan.shipDays[0], 15 * 60 + 30], expected: null });
        const allShipped = pastShipDays.length === plan.shipDays.length;
        milestones.push(allShipped ? { kind: "shipped", occurred: [lastShip, 15 * 60 + 30], expected: null } : { kind: "shipped", occurred: null, expected: [lastShip, 15 * 60] });
        const allDelivered = allShipped && deliveredFlags.every(Boolean);
        milestones.push(allDelivered ? { kind: "delivered", occurred: [lastDeliver, 11 * 60], expected: null } : { kind: "delivered", occurred: null, expected: [lastDeliver, 14 * 60] });
        if (allShipped) milestones.push({ kind: "invoiced", occurred: [lastShip, 18 * 60], expected: null });
      }
    }
    milestones.forEach((m, i) => {
      const row: Row = {
        id: rng.uuid(),
        erp_id: null,
        erp_version: 1,
        account_id: acc.id,
        location_id: loc.id,
        sales_order_id: orderId,
        kind: m.kind,
        occurred_at: m.occurred ? cal.at(m.occurred[0], m.occurred[1]) : null,
        expected_at: m.expected ? cal.at(m.expected[0], m.expected[1]) : null,
        note: m.note ?? null,
      };
      this.tables.order_milestones.push(row);
      orderNumbered.children.push({ row, suffix: `/M${String(i + 1).padStart(2, "0")}` });
    });

    // Order confirmation.
    if (past(plan.confirmDay) && (!cancelled || plan.cancelDay! > plan.confirmDay)) {
      const row: Row = {
        id: rng.uuid(),
        erp_id: null,
        erp_version: 1,
        account_id: acc.id,
        location_id: loc.id,
        sales_order_id: orderId,
        number: null,
        issue_date: cal.date(plan.confirmDay),
        currency,
        net_amount: orderRow.net_amount,
        tax_amount: orderRow.tax_amount,
        gross_amount: orderRow.gross_amount,
        promised_delivery_date: cal.date(plan.promisedDay),
        note: acc.lang === "de" ? "Vielen Dank für Ihren Auftrag. Wir bestätigen wie folgt:" : "Thank you for your order, which we confirm as follows:",
      };
      this.tables.order_confirmations.push(row);
      this.numbered.push({ type: "confirmation", day: plan.confirmDay, row, children: [] });
    }

    // Shipments, delivery notes, invoices.
    const cumulative = lines.map(() => 0);
    pastShipDays.forEach((shipDay, k) => {
      const items = lines.map((line, idx) => ({ line, idx, q: shipQty(k, line, idx) })).filter((x) => x.q > 0);
      items.forEach(({ idx, q }) => (cumulative[idx] += q));
      const ship = this.shipment(order, plan, k, shipDay, items.map(({ line, q }) => ({ line, qtyMilli: q })));
      this.deliveryNote(order, ship, lines.map((line, idx) => ({
        line,
        delivered: lines[idx].product.kind === "service" ? 0 : shipQty(k, line, idx),
        backordered: line.product.kind === "service" || k === plan.shipDays.length - 1 ? 0 : line.qtyMilli - cumulative[idx],
      })));
      // Services are invoiced with the first delivery.
      const invItems: InvItem[] = [
        ...items.map(({ line, q }) => ({ line, qtyMilli: q })),
        ...(k === 0 ? lines.filter((l) => l.product.kind === "service").map((line) => ({ line, qtyMilli: line.qtyMilli })) : []),
      ];
      const inv = this.invoice(order, invItems, shipDay, plan.invoiceFates[k] ?? "auto");
      if (k === 0 && plan.creditNote) this.creditNote(inv, plan.creditNote.mode, cal.back(shipDay + plan.creditNote.afterDays));
    });

    // A 3.1 inspection certificate for certified goods that have shipped.
    const certifiedShipped = pastShipDays.length > 0 && lines.some((l) => l.product.certified);
    if (certifiedShipped && rng.chance(0.6)) {
      const row: Row = {
        id: rng.uuid(),
        erp_id: null,
        erp_version: 1,
        account_id: acc.id,
        location_id: loc.id,
        document_type: "certificate",
        document_id: null,
        sales_order_id: orderId,
        title: null,
        file_name: null,
        content_type: "application/pdf",
        byte_size: rng.int(120_000, 900_000),
        sha256: sha256(`certificate:${orderId}`),
        issued_at: cal.at(pastShipDays[0], 8 * 60 + 30),
      };
      this.tables.document_files.push(row);
      this.afterNumbering.push(() => {
        const n = orderRow.number as string;
        row.erp_id = `DMS-CERT-${orderRow.erp_id as string}`;
        row.title = acc.lang === "de" ? `Abnahmeprüfzeugnis 3.1 nach EN 10204 – Auftrag ${n}` : `Inspection certificate 3.1 (EN 10204) – order ${n}`;
        row.file_name = `${n}_EN10204-3.1.pdf`;
      });
    }
    return order;
  }

  private shipment(order: OrderDoc, plan: OrderPlan, k: number, shipDay: number, items: InvItem[]): ShipDoc {
    const { acc, loc } = order;
    const { rng } = acc;
    const cal = this.cal;
    const deliverDay = plan.deliverDays[k];
    const weight = items.reduce((s, i) => s + (i.qtyMilli / 1000) * i.line.product.kg, 0);
    const zone = acc.country.zone;
    let carrier: Carrier;
    if (acc.country.code === "US") carrier = weight > 70 ? CARRIERS.kn : CARRIERS.ups;
    else if (weight > 250) carrier = CARRIERS.schenker;
    else if (zone === "DE") carrier = rng.weighted([[CARRIERS.dhl, 5], [CARRIERS.dpd, 3], [CARRIERS.ups, 2]] as const);
    else if (weight > 70) carrier = CARRIERS.schenker;
    else carrier = rng.weighted([[CARRIERS.dhl, 3], [CARRIERS.ups, 3], [CARRIERS.dpd, 2], [CARRIERS.dhlExpress, zone === "EXPORT" ? 2 : 0.5]] as const);
    const palletised = carrier === CARRIERS.schenker || carrier === CARRIERS.kn;
    const packages = palletised ? Math.max(1, Math.ceil(weight / 400)) : Math.min(10, Math.max(1, Math.ceil(weight / 25)));
    const grossKg = weight + packages * (palletised ? 25 : 0.8);
    const trackingNumber = carrier.trackingNumber((n) => rng.digits(n));

    // Tracking events, only those that already happened.
    const city = `${loc.city}, ${loc.countryCode}`;
    const hub = `${HUBS[loc.countryCode] ?? "Hub"}, ${loc.countryCode}`;
    const origin = carrier === CARRIERS.schenker ? "Kornwestheim, DE" : "Stuttgart, DE";
    const events: { day: number; min: number; code: string; text: string; place: string }[] = [
      { day: shipDay, min: 15 * 60 + rng.int(0, 90), code: "PU", text: "Shipment picked up", place: "Stuttgart, DE" },
      { day: shipDay, min: 21 * 60 + rng.int(0, 100), code: "DP", text: "Departed origin facility", place: origin },
    ];
    if (zone === "EXPORT") events.push({ day: shipDay + 1, min: 9 * 60 + rng.int(0, 120), code: "CC", text: "Export customs clearance completed", place: "Stuttgart, DE" });
    if (acc.country.code === "US" && carrier === CARRIERS.kn) {
      events.push({ day: shipDay + 3, min: 18 * 60, code: "DP", text: "Vessel departed", place: "Hamburg, DE" });
      events.push({ day: deliverDay - 3, min: 6 * 60, code: "AR", text: "Vessel arrived, import customs cleared", place: hub });
    }
    if (deliverDay - 1 > shipDay) events.push({ day: deliverDay - 1, min: 23 * 60 + rng.int(0, 50), code: "AR", text: "Arrived at destination facility", place: hub });
    const odMin = 5 * 60 + rng.int(0, 25);
    const dlMin = 9 * 60 + rng.int(0, 360);
    const receiver = acc.faker.person.lastName();
    events.push({ day: deliverDay, min: odMin, code: "OD", text: "Out for delivery", place: city });
    events.push({ day: deliverDay, min: dlMin, code: "DL", text: `Delivered, received by ${receiver.toUpperCase()}`, place: city });
    const happened = events.filter((e) => cal.isPast(e.day, e.min));
    const delivered = happened.some((e) => e.code === "DL");
    let status = delivered ? "delivered" : happened.some((e) => e.code === "OD") ? "out_for_delivery" : "in_transit";
    if (!delivered && status === "in_transit" && shipDay <= -2 && rng.chance(plan.exceptionChance)) {
      status = "exception";
      happened.push({ day: -1, min: 17 * 60 + 5, code: "EX", text: "Delivery attempt failed: consignee premises closed. Rescheduled.", place: city });
    }

    const id = rng.uuid();
    const dl = happened.find((e) => e.code === "DL");
    const row: Row = {
      id,
      erp_id: null,
      erp_version: 1 + happened.length,
      account_id: acc.id,
      location_id: loc.id,
      sales_order_id: order.id,
      number: null,
      carrier: carrier.name,
      service: carrier.service,
      tracking_number: trackingNumber,
      tracking_url: carrier.trackingUrl(trackingNumber),
      status,
      shipped_at: cal.at(shipDay, events[0].min),
      estimated_delivery_at: cal.at(deliverDay, 14 * 60),
      delivered_at: dl ? cal.at(dl.day, dl.min) : null,
      package_count: packages,
      gross_weight_kg: (Math.round(grossKg * 1000) / 1000).toFixed(3),
      ship_to: this.address(acc, loc),
    };
    this.tables.shipments.push(row);
    const numbered: Numbered = { type: "shipment", day: shipDay, row, children: [] };
    this.numbered.push(numbered);
    items.forEach((item, i) => {
      const line: Row = {
        id: rng.uuid(),
        erp_id: null,
        erp_version: 1,
        account_id: acc.id,
        location_id: loc.id,
        shipment_id: id,
        sales_order_line_id: item.line.id,
        line_no: i + 1,
        sku: item.line.product.sku,
        description: item.line.product[acc.lang],
        quantity: qty(item.qtyMilli),
        unit: item.line.product.unit,
      };
      this.tables.shipment_lines.push(line);
      numbered.children.push({ row: line, suffix: `/${String((i + 1) * 10).padStart(6, "0")}` });
    });
    happened
      .sort((a, b) => a.day - b.day || a.min - b.min)
      .forEach((e, i) => {
        const ev: Row = {
          id: rng.uuid(),
          erp_id: null,
          erp_version: 1,
          account_id: acc.id,
          location_id: loc.id,
          shipment_id: id,
          occurred_at: cal.at(e.day, e.min),
          status_code: e.code,
          description: e.text,
          place: e.place,
        };
        this.tables.tracking_events.push(ev);
        numbered.children.push({ row: ev, suffix: `/T${String(i + 1).padStart(2, "0")}` });
      });
    const ship: ShipDoc = { id, row, day: shipDay, deliverDay, delivered };
    order.shipments.push(ship);
    return ship;
  }

  private deliveryNote(order: OrderDoc, ship: ShipDoc, lines: { line: OrderLine; delivered: number; backordered: number }[]) {
    const { acc, loc } = order;
    const { rng } = acc;
    const id = rng.uuid();
    const row: Row = {
      id,
      erp_id: null,
      erp_version: 1,
      account_id: acc.id,
      location_id: loc.id,
      sales_order_id: order.id,
      shipment_id: ship.id,
      number: null,
      issue_date: this.cal.date(ship.day),
      ship_to: this.address(acc, loc),
      note: null,
    };
    this.tables.delivery_notes.push(row);
    this.numbered.push({ type: "delivery_note", day: ship.day, row, children: [] });
    let lineNo = 0;
    for (const l of lines) {
      if (l.delivered === 0 && l.backordered === 0) continue;
      lineNo++;
      this.tables.delivery_note_lines.push({
        id: rng.uuid(),
        account_id: acc.id,
        location_id: loc.id,
        delivery_note_id: id,
        line_no: lineNo,
        sales_order_line_id: l.line.id,
        sku: l.line.product.sku,
        description: l.line.product[acc.lang],
        quantity_delivered: qty(l.delivered),
        quantity_backordered: qty(l.backordered),
        unit: l.line.product.unit,
      });
    }
    if (lines.some((l) => l.backordered > 0)) {
      row.note = acc.lang === "de" ? "Teillieferung – Restmenge folgt." : "Partial delivery – the remaining quantity follows.";
    }
  }

  // ---- invoices -------------------------------------------------------------------------------

  private invoice(order: OrderDoc, items: InvItem[], day: number, fate: InvoiceFate): InvDoc {
    const { acc } = order;
    const { rng } = acc;
    const cal = this.cal;
    const fx = acc.country.fx;
    const lineNets = this.lineNets(items);
    const lineNetTotal = lineNets.reduce((s, l) => s + l.net, 0);
    const main = this.totals(lineNets, []).breakdown.sort((a, b) => b.taxable - a.taxable)[0];

    // Document-level freight charge on small invoices, volume discount on large ones.
    const acs: AllowanceCharge[] = [];
    const eur = (cents: number) => Math.round(cents * fx);
    if (lineNetTotal < eur(50_000)) {
      const freight = acc.country.zone === "DE" ? 3950 : acc.country.zone === "EU" ? 8900 : 14900;
      acs.push({ isCharge: true, amount: eur(freight), base: null, percentBP: null, reason: acc.lang === "de" ? "Fracht und Verpackung" : "Freight and packing", code: "FC", tax: main.tax });
    }
    if (lineNetTotal >= eur(1_500_000)) {
      acs.push({ isCharge: false, amount: percentOf(main.taxable, 200), base: main.taxable, percentBP: 200, reason: acc.lang === "de" ? "Mengenrabatt 2 %" : "Volume discount 2 %", code: "95", tax: main.tax });
    }
    const t = this.totals(lineNets, acs);
    const prepaid = acc.country.zone === "EXPORT" && t.gross >= eur(500_000) && rng.chance(0.5) ? percentOf(t.gross, 3000) : 0;
    const dueDay = day + acc.terms;
    const breakdown = t.breakdown;

    const inv = this.invoiceRow(order, "invoice", day, lineNets, acs, t, { prepaid, dueDay, deliveryDay: day, preceding: null });
    inv.row.payment_terms = acc.lang === "de"
      ? `Zahlbar bis ${cal.format(dueDay, "de")} ohne Abzug.${prepaid ? " Anzahlung bereits verrechnet." : ""}`
      : `Payable by ${cal.format(dueDay, "en")} without deduction.${prepaid ? " Advance payment already deducted." : ""}`;
    const orderNo = () => order.row.number as string;
    this.afterNumbering.push(() => {
      const notes: string[] = [];
      if (acc.lang === "de") notes.push(`Lieferung zu Auftrag ${orderNo()}.`);
      else notes.push(`Delivery for order ${orderNo()}.`);
      for (const b of breakdown) if (b.tax.reason) notes.push(`${b.tax.reason}.`);
      inv.row.note = notes.join(" ");
    });
    this.settle(inv, fate, dueDay);
    return inv;
  }

  private lineNets(items: InvItem[]): LineNet[] {
    return items.map((item) => {
      const gross = extend(item.qtyMilli, item.line.priceTT);
      const allowance = percentOf(gross, item.line.discountBP);
      return { item, gross, allowance, net: gross - allowance, tax: item.line.tax };
    });
  }

  /** Header totals and the VAT breakdown (tax rounded once per category and rate, BR-CO-17). */
  private totals(lineNets: LineNet[], acs: AllowanceCharge[]): Totals {
    const groups = new Map<string, { tax: Tax; taxable: number }>();
    const add = (tax: Tax, amount: number) => {
      const key = `${tax.category}|${tax.rateBP}`;
      const g = groups.get(key) ?? { tax, taxable: 0 };
      g.taxable += amount;
      groups.set(key, g);
    };
    for (const l of lineNets) add(l.tax, l.net);
    for (const ac of acs) add(ac.tax, ac.isCharge ? ac.amount : -ac.amount);
    const breakdown = [...groups.values()].map((g) => ({ ...g, taxAmount: percentOf(g.taxable, g.tax.rateBP) }));
    const lineNetTotal = lineNets.reduce((s, l) => s + l.net, 0);
    const allowanceTotal = acs.filter((a) => !a.isCharge).reduce((s, a) => s + a.amount, 0);
    const chargeTotal = acs.filter((a) => a.isCharge).reduce((s, a) => s + a.amount, 0);
    const net = lineNetTotal - allowanceTotal + chargeTotal;
    const taxTotal = breakdown.reduce((s, b) => s + b.taxAmount, 0);
    return { breakdown, lineNetTotal, allowanceTotal, chargeTotal, net, taxTotal, gross: net + taxTotal };
  }

  private invoiceRow(
    order: OrderDoc,
    kind: "invoice" | "credit_note",
    day: number,
    lineNets: LineNet[],
    acs: AllowanceCharge[],
    t: Totals,
    o: { prepaid: number; dueDay: number | null; deliveryDay: number; preceding: InvDoc | null },
  ): InvDoc {
    const { acc, loc } = order;
    const { rng } = acc;
    const cal = this.cal;
    const id = rng.uuid();
    const foreign = acc.country.currency !== "EUR";
    const row: Row = {
      id,
      erp_id: null,
      erp_version: 1,
      account_id: acc.id,
      location_id: loc.id,
      cost_center_id: order.row.cost_center_id,
      sales_order_id: order.id,
      kind,
      type_code: kind === "invoice" ? "380" : "381",
      number: null,
      issue_date: cal.date(day),
      due_date: o.dueDay != null ? cal.date(o.dueDay) : null,
      tax_point_date: null,
      delivery_date: cal.date(o.deliveryDay),
      service_period_start: null,
      service_period_end: null,
      currency: acc.country.currency,
      tax_currency: foreign ? "EUR" : null,
      buyer_reference: acc.buyerReference,
      customer_reference: order.row.customer_reference,
      preceding_invoice_id: o.preceding?.id ?? null,
      line_net_total: money(t.lineNetTotal),
      allowance_total: money(t.allowanceTotal),
      charge_total: money(t.chargeTotal),
      net_amount: money(t.net),
      tax_amount: money(t.taxTotal),
      tax_amount_in_tax_currency: foreign ? money(0) : null,
      gross_amount: money(t.gross),
      prepaid_amount: money(o.prepaid),
      paid_amount: money(0),
      amount_due: money(t.gross - o.prepaid),
      status: "open",
      payment_terms: null,
      payment_means_code: foreign ? "30" : "58",
      payment_reference: null,
      note: null,
    };
    this.tables.invoices.push(row);
    const numbered: Numbered = { type: kind, day, row, children: [] };
    this.numbered.push(numbered);
    lineNets.forEach((l, i) => {
      const line: Row = {
        id: rng.uuid(),
        erp_id: null,
        erp_version: 1,
        account_id: acc.id,
        location_id: loc.id,
        invoice_id: id,
        line_no: i + 1,
        sales_order_line_id: l.item.line.id,
        sku: l.item.line.product.sku,
        description: l.item.line.product[acc.lang],
        quantity: qty(l.item.qtyMilli),
        unit: l.item.line.product.unit,
        unit_price: price(l.item.line.priceTT),
        price_base_quantity: "1.000",
        line_allowance_amount: money(l.allowance),
        line_charge_amount: money(0),
        net_amount: money(l.net),
        vat_category: l.tax.category,
        vat_rate: rate(l.tax.rateBP),
        vat_exemption_reason: l.tax.reason,
      };
      this.tables.invoice_lines.push(line);
      numbered.children.push({ row: line, suffix: `/${String((i + 1) * 10).padStart(6, "0")}` });
    });
    acs.forEach((ac, i) => {
      this.tables.invoice_allowance_charges.push({
        id: rng.uuid(),
        account_id: acc.id,
        location_id: loc.id,
        invoice_id: id,
        seq: i + 1,
        is_charge: ac.isCharge,
        amount: money(ac.amount),
        base_amount: ac.base != null ? money(ac.base) : null,
        percent: ac.percentBP != null ? rate(ac.percentBP) : null,
        reason: ac.reason,
        reason_code: ac.code,
        vat_category: ac.tax.category,
        vat_rate: rate(ac.tax.rateBP),
      });
    });
    for (const b of t.breakdown) {
      this.tables.invoice_tax_breakdown.push({
        id: rng.uuid(),
        account_id: acc.id,
        location_id: loc.id,
        invoice_id: id,
        vat_category: b.tax.category,
        vat_rate: rate(b.tax.rateBP),
        taxable_amount: money(b.taxable),
        tax_amount: money(b.taxAmount),
        exemption_reason: b.tax.reason,
        exemption_reason_code: b.tax.code,
      });
    }
    const items = lineNets.map((l) => l.item);
    const inv: InvDoc = { id, acc, order, kind, row, day, items, gross: t.gross, prepaid: o.prepaid, payments: [], acs };
    acc.invoices.push(inv);
    order.invoices.push(inv);
    return inv;
  }

  /** Decides and books the payments of an invoice as of the as-of date. */
  private settle(inv: InvDoc, fate: InvoiceFate, dueDay: number) {
    const { rng } = inv.acc;
    const open = inv.gross - inv.prepaid;
    let f = fate;
    if (f === "auto") {
      const r = rng.next();
      if (dueDay < -20) f = r < 0.9 ? "paid" : r < 0.94 ? "partial" : "open";
      else if (dueDay < 0) f = r < 0.6 ? "paid" : r < 0.7 ? "partial" : "open";
      else f = inv.day <= -3 ? (r < 0.25 ? "paid" : r < 0.32 ? "partial" : "open") : "open";
    }
    const firstPossible = inv.day + 1;
    if (open <= 0 || firstPossible > -1) f = "open";
    const method = inv.acc.country.currency === "EUR" ? "sepa_credit_transfer" : "credit_transfer";
    if (f === "paid") {
      let day = dueDay - rng.int(-6, 14);
      day = Math.min(-1, Math.max(firstPossible, day));
      this.payment(inv, this.cal.back(day) < firstPossible ? day : this.cal.back(day), open, method);
    } else if (f === "partial") {
      const amount = Math.max(1, Math.min(open - 1, percentOf(open, rng.int(25, 75) * 100)));
      const latest = Math.min(-1, dueDay + 5);
      const day = latest <= firstPossible ? firstPossible : rng.int(firstPossible, latest);
      this.payment(inv, day, amount, method);
    }
  }

  private payment(inv: InvDoc, day: number, amount: number, method: string) {
    const row: Row = {
      id: inv.acc.rng.uuid(),
      erp_id: null,
      erp_version: 1,
      account_id: inv.acc.id,
      location_id: inv.row.location_id,
      invoice_id: inv.id,
      paid_at: this.cal.date(day),
      amount: money(amount),
      currency: inv.acc.country.currency,
      method,
      reference: null,
    };
    this.tables.payments.push(row);
    inv.payments.push({ day, amount, row });
    const paid = inv.payments.reduce((s, p) => s + p.amount, 0);
    const due = inv.gross - inv.prepaid - paid;
    inv.row.paid_amount = money(paid);
    inv.row.amount_due = money(due);
    inv.row.status = due <= 0 ? "paid" : "partially_paid";
  }

  private creditNote(inv: InvDoc, mode: "partial" | "full", day: number) {
    if (day > -1 || !inv.order) return;
    const { acc } = inv;
    const { rng } = acc;
    let items: InvItem[];
    if (mode === "full") items = inv.items.map((i) => ({ ...i }));
    else {
      const goods = inv.items.filter((i) => i.line.product.kind !== "service");
      const pick = rng.pick(goods.length ? goods : inv.items);
      const step = pick.line.product.qty[2] * 1000;
      const units = pick.qtyMilli / step;
      const q = units >= 2 ? step * Math.max(1, Math.floor(units * (0.15 + rng.next() * 0.35))) : pick.qtyMilli;
      items = [{ line: pick.line, qtyMilli: q }];
    }
    // A full credit mirrors the invoice, document-level allowances and charges included.
    const acs = mode === "full" ? inv.acs.map((a) => ({ ...a })) : [];
    const lineNets = this.lineNets(items);
    const t = this.totals(lineNets, acs);
    const groups = t.breakdown;
    const cn = this.invoiceRow(inv.order, "credit_note", day, lineNets, acs, t, { prepaid: 0, dueDay: null, deliveryDay: inv.day, preceding: inv });
    cn.row.payment_terms = acc.lang === "de" ? "Der Betrag wird Ihnen innerhalb von 14 Tagen erstattet." : "The amount will be refunded within 14 days.";
    this.afterNumbering.push(() => {
      const n = inv.row.number as string;
      const reason = mode === "full"
        ? acc.lang === "de" ? `Vollständige Gutschrift zu Rechnung ${n} (Rücksendung der gesamten Lieferung).` : `Full credit for invoice ${n} (entire delivery returned).`
        : acc.lang === "de" ? `Gutschrift zu Rechnung ${n}: Rücksendung beschädigter Ware.` : `Credit for invoice ${n}: damaged goods returned.`;
      const exempt = groups.filter((g) => g.tax.reason).map((g) => `${g.tax.reason}.`);
      cn.row.note = [reason, ...exempt].join(" ");
    });
    // Refunded two weeks later, if that has happened.
    const refundDay = this.cal.back(day + rng.int(7, 16));
    if (refundDay <= -1 && refundDay > day) this.payment(cn, refundDay, cn.gross, "refund");
  }

  // ---- quotes ---------------------------------------------------------------------------------

  private quote(
    acc: Acc,
    issueDay: number,
    lines: PlanLine[],
    status: "sent" | "accepted" | "rejected" | "expired" | "withdrawn",
    decidedDay: number | null,
    loc: Loc,
    order: OrderDoc | null,
    customerReference: string | null,
  ) {
    const { rng } = acc;
    const cal = this.cal;
    const id = rng.uuid();
    const qLines = lines.map((pl, i) => {
      const priceTT = this.priceTT(acc, pl.product);
      const gross = extend(pl.qtyMilli, priceTT);
      const net = gross - percentOf(gross, pl.discountBP);
      return { pl, i, priceTT, net, tax: this.taxFor(acc, pl.product) };
    });
    const groups = this.taxGroups(qLines);
    const net = qLines.reduce((s, l) => s + l.net, 0);
    const tax = groups.reduce((s, g) => s + g.taxAmount, 0);
    const decider = decidedDay != null ? acc.members.find((m) => m.role === "buyer" && m.user.status === "active") ?? acc.members.find((m) => m.role === "admin") : undefined;
    const row: Row = {
      id,
      erp_id: null,
      erp_version: decidedDay != null ? 2 : 1,
      account_id: acc.id,
      location_id: loc.id,
      sales_order_id: order?.id ?? null,
      number: null,
      issue_date: cal.date(issueDay),
      valid_until: cal.date(issueDay + 30),
      status,
      currency: acc.country.currency,
      net_amount: money(net),
      tax_amount: money(tax),
      gross_amount: money(net + tax),
      customer_reference: customerReference,
      note: acc.lang === "de" ? "Angebot gemäß Ihrer Anfrage. Preise freibleibend bis zum Ablauf der Bindefrist." : "Quotation as per your enquiry. Prices valid until the date shown.",
      decided_at: decidedDay != null && decider ? cal.at(decidedDay, rng.int(8 * 60, 17 * 60)) : null,
      decided_by_user_id: decidedDay != null && decider ? decider.user.id : null,
    };
    if (decidedDay != null && !decider) row.decided_at = cal.at(decidedDay, 12 * 60);
    this.tables.quotes.push(row);
    this.numbered.push({ type: "quote", day: issueDay, row, children: [] });
    for (const l of qLines) {
      this.tables.quote_lines.push({
        id: rng.uuid(),
        account_id: acc.id,
        location_id: loc.id,
        quote_id: id,
        line_no: l.i + 1,
        sku: l.pl.product.sku,
        description: l.pl.product[acc.lang],
        quantity: qty(l.pl.qtyMilli),
        unit: l.pl.product.unit,
        unit_price: price(l.priceTT),
        discount_percent: rate(l.pl.discountBP),
        vat_rate: rate(l.tax.rateBP),
        net_amount: money(l.net),
      });
    }
    if ((status === "accepted" || status === "rejected") && decider && decidedDay != null) {
      this.tables.quote_decisions.push({
        id: rng.uuid(),
        account_id: acc.id,
        location_id: loc.id,
        quote_id: id,
        decided_by_user_id: decider.user.id,
        decision: status,
        comment: status === "accepted"
          ? acc.lang === "de" ? "Angebot angenommen, Bestellung folgt mit unserer Bestellnummer." : "Accepted; our purchase order number is attached."
          : acc.lang === "de" ? "Projekt wurde verschoben, daher leider keine Bestellung." : "The project was postponed, so we will not order for now.",
        customer_reference: status === "accepted" ? customerReference : null,
        client_mutation_id: null,
        created_at: row.decided_at,
      });
    }
    return row;
  }

  private randomQuotes(acc: Acc) {
    const { rng } = acc;
    const count = rng.weighted([[0, 3], [1, 3], [2, 3], [3, 2], [4, 1]] as const);
    for (let i = 0; i < count; i++) {
      const issueDay = this.cal.back(-rng.int(2, 300));
      const lines = this.pickLines(acc, rng);
      const loc = rng.pick(acc.locations);
      const r = rng.next();
      const decidedDay = this.cal.fwd(issueDay + rng.int(2, 20));
      const validUntil = issueDay + 30;
      if (r < 0.35 && decidedDay <= -1) {
        const po = `${rng.pick(acc.country.poPrefix)}${rng.digits(6)}`;
        const order = this.realizeOrder(this.randomPlan(acc, rng, { orderDay: decidedDay, lines, loc, customerReference: po, fate: "normal", cancelDay: null, creditNote: null }));
        this.quote(acc, issueDay, lines, "accepted", decidedDay, loc, order, po);
      } else if (r < 0.5 && decidedDay <= -1) {
        this.quote(acc, issueDay, lines, "rejected", decidedDay, loc, null, null);
      } else if (r < 0.55) {
        this.quote(acc, issueDay, lines, "withdrawn", null, loc, null, null);
      } else {
        this.quote(acc, issueDay, lines, validUntil <= -1 ? "expired" : "sent", null, loc, null, null);
      }
    }
  }

  // ---- Kessler: the predictable demo ----------------------------------------------------------

  private kesslerScenarios() {
    const acc = this.byKey.get("kessler")!;
    const rng = new Rng("kessler-scenarios");
    const [hq, lnu, muc] = acc.locations;
    const buyer = this.users.get("buyer@kessler.example")!;
    const p = (sku: string) => PRODUCTS.find((x) => x.sku === sku)!;
    const line = (sku: string, units: number) => this.planLine(acc, rng, p(sku), units);
    const cc = acc.costCenters;
    const base = (o: Partial<OrderPlan> & { orderDay: number; lines: PlanLine[] }): OrderPlan => ({
      acc,
      loc: hq,
      costCenter: null,
      buyer,
      buyerName: buyer.name,
      customerReference: `BE-${rng.digits(5)}`,
      confirmDay: o.orderDay + 1,
      productionDay: o.orderDay + 3,
      promisedDay: o.orderDay + 14,
      requestedDay: o.orderDay + 10,
      fate: "normal",
      cancelDay: null,
      shipDays: [o.orderDay + 14],
      deliverDays: [o.orderDay + 16],
      firstQty: null,
      invoiceFates: [],
      creditNote: null,
      exceptionChance: 0,
      ...o,
    });
    // Partially shipped: one line complete, one line partly, one line entirely on backorder.
    const psLines = [line("VLV-BV-DN50", 12), line("PMP-IL-65-8", 6), line("SNS-PT-16", 4)];
    this.realizeOrder(base({
      orderDay: -24, loc: hq, costCenter: cc[1], lines: psLines,
      confirmDay: -23, productionDay: -21, promisedDay: -12, requestedDay: -14,
      shipDays: [-12, 9], deliverDays: [-10, 11], firstQty: [12_000, 2_000, 0], invoiceFates: ["open"],
    }));
    // A shipment still in transit.
    this.realizeOrder(base({
      orderDay: -9, loc: muc, lines: [line("PMP-CN-32-160", 2), line("KIT-SEAL-CN32", 2), line("FIT-FL-DN80", 8)],
      confirmDay: -8, productionDay: -6, promisedDay: -2, shipDays: [-2], deliverDays: [2], invoiceFates: ["open"],
    }));
    // Overdue, not paid (visible to the location-restricted viewer too).
    this.realizeOrder(base({
      orderDay: -80, loc: lnu, costCenter: cc[0], lines: [line("VLV-GV-DN80", 6), line("FIT-GSK-DN50", 60), line("CBL-NYM-3X2.5", 500)],
      confirmDay: -79, productionDay: -77, promisedDay: -66, shipDays: [-66], deliverDays: [-64], invoiceFates: ["open"],
    }));
    // Overdue and partially paid.
    this.realizeOrder(base({
      orderDay: -55, loc: hq, lines: [line("PMP-CN-50-200", 2), line("DOC-HB-PUMP", 2), line("SVC-COMM", 8)],
      confirmDay: -54, productionDay: -52, promisedDay: -45, shipDays: [-45], deliverDays: [-43], invoiceFates: ["partial"],
    }));
    // Partially paid, not yet due.
    this.realizeOrder(base({
      orderDay: -20, loc: lnu, lines: [line("FIT-PF-22", 200), line("VLV-BV-DN25", 20)],
      confirmDay: -19, productionDay: -17, promisedDay: -12, shipDays: [-12], deliverDays: [-11], invoiceFates: ["partial"],
    }));
    // Paid, then partly credited (damaged goods returned), refund booked.
    this.realizeOrder(base({
      orderDay: -130, loc: hq, costCenter: cc[2], lines: [line("VLV-ACT-DN50", 4), line("SNS-TT-PT100", 10)],
      confirmDay: -129, productionDay: -127, promisedDay: -115, shipDays: [-115], deliverDays: [-113], invoiceFates: ["paid"],
      creditNote: { mode: "partial", afterDays: 12 },
    }));
    // Paid, then fully credited a few days ago: the refund is still open.
    this.realizeOrder(base({
      orderDay: -40, loc: muc, lines: [line("PMP-DP-10", 3)],
      confirmDay: -39, productionDay: -37, promisedDay: -30, shipDays: [-30], deliverDays: [-28], invoiceFates: ["paid"],
      creditNote: { mode: "full", afterDays: 26 },
    }));
    // Two deliveries, both paid: completed.
    this.realizeOrder(base({
      orderDay: -160, loc: hq, lines: [line("PMP-CN-32-160", 4), line("VLV-BF-DN100", 10), line("FIT-EL90-DN50", 40)],
      confirmDay: -159, productionDay: -156, promisedDay: -145, shipDays: [-145, -128], deliverDays: [-143, -126],
      firstQty: [2_000, 10_000, 40_000], invoiceFates: ["paid", "paid"],
    }));
    // Open (just received), confirmed, in production, on hold, cancelled.
    this.realizeOrder(base({ orderDay: -1, confirmDay: 1, productionDay: 3, promisedDay: 12, shipDays: [12], deliverDays: [14], lines: [line("VLV-CV-DN40", 10), line("FIT-TEE-DN25", 50)] }));
    this.realizeOrder(base({ orderDay: -5, loc: lnu, confirmDay: -4, productionDay: 2, promisedDay: 10, shipDays: [10], deliverDays: [12], lines: [line("PMP-SP-12-9", 2), line("CBL-NYM-3X2.5", 300)] }));
    this.realizeOrder(base({ orderDay: -15, confirmDay: -14, productionDay: -10, promisedDay: 5, shipDays: [5], deliverDays: [7], lines: [line("PMP-CN-50-200", 1), line("VLV-ACT-DN50", 2)] }));
    this.realizeOrder(base({ orderDay: -12, loc: muc, confirmDay: -11, fate: "on_hold", lines: [line("SNS-PT-16", 6), line("SNS-TT-PT100", 6)] }));
    this.realizeOrder(base({ orderDay: -60, confirmDay: -59, fate: "cancelled", cancelDay: -50, lines: [line("PMP-IL-65-8", 3)] }));

    // Quotes: accepted (became an order that is delivered and invoiced), open, expired, rejected.
    const acceptedLines = [line("PMP-CN-32-160", 3), line("VLV-BV-DN50", 6), line("SVC-COMM", 12)];
    const po = "BE-2024-PRJ-118";
    const order = this.realizeOrder(base({
      orderDay: -30, loc: hq, costCenter: cc[1], lines: acceptedLines, customerReference: po,
      confirmDay: -29, productionDay: -27, promisedDay: -20, shipDays: [-20], deliverDays: [-18], invoiceFates: ["open"],
    }));
    this.quote(acc, -45, acceptedLines, "accepted", -30, hq, order, po);
    this.quote(acc, -6, [line("PMP-CN-50-200", 2), line("DRV-FU-5K5", 2), line("SVC-COMM", 16)], "sent", null, hq, null, null);
    this.quote(acc, -100, [line("VLV-GV-DN80", 12)], "expired", null, lnu, null, null);
    this.quote(acc, -80, [line("SNS-FM-DN50", 2)], "rejected", -70, muc, null, null);
  }

  // ---- numbering ------------------------------------------------------------------------------

  private assignNumbers() {
    const perType = new Map<Numbered["type"], Numbered[]>();
    for (const n of this.numbered) {
      const list = perType.get(n.type) ?? [];
      list.push(n);
      perType.set(n.type, list);
    }
    for (const [type, list] of perType) {
      // Stable sort: creation order breaks ties, so numbers follow dates deterministically.
      list.sort((a, b) => a.day - b.day);
      const perYear = new Map<number, number>();
      list.forEach((n, i) => {
        const year = this.cal.year(n.day);
        const seq = (perYear.get(year) ?? 0) + 1;
        perYear.set(year, seq);
        const { prefix, erp } = NUMBER_FORMAT[type];
        n.row.number = `${prefix}-${year}-${String(seq).padStart(5, "0")}`;
        n.row.erp_id = `${erp}${String(i + 1).padStart(8, "0")}`;
        for (const child of n.children) child.row.erp_id = `${n.row.erp_id as string}${child.suffix}`;
        if (type === "invoice" || type === "credit_note") n.row.payment_reference = n.row.number;
      });
    }
  }

  private assignPaymentIds() {
    const sorted = [...this.tables.payments].sort((a, b) => String(a.paid_at).localeCompare(String(b.paid_at)));
    const invoiceNumbers = new Map(this.tables.invoices.map((i) => [i.id, i.number as string]));
    sorted.forEach((p, i) => {
      p.erp_id = `ZA${String(i + 1).padStart(8, "0")}`;
      p.reference = p.method === "refund" ? `Erstattung ${invoiceNumbers.get(p.invoice_id)}` : invoiceNumbers.get(p.invoice_id);
    });
  }

  // ---- statements and files -------------------------------------------------------------------

  private statements(acc: Acc) {
    if (!this.specOf(acc).statements) return;
    const balance = (day: number) => {
      let b = 0;
      for (const inv of acc.invoices) {
        if (inv.day <= day) b += inv.kind === "invoice" ? inv.gross - inv.prepaid : -inv.gross;
        for (const p of inv.payments) if (p.day <= day) b += inv.kind === "invoice" ? -p.amount : p.amount;
      }
      return b;
    };
    for (let back = 3; back >= 1; back--) {
      const m = this.cal.month(back);
      const issueDay = this.cal.fwd(m.end + 1);
      if (issueDay > -1) continue;
      const id = acc.rng.uuid();
      const number = `ST-${m.label.replace("-", "")}-${acc.number}`;
      this.tables.statements.push({
        id,
        erp_id: `KA-${acc.number}-${m.label}`,
        erp_version: 1,
        account_id: acc.id,
        number,
        period_start: this.cal.date(m.start),
        period_end: this.cal.date(m.end),
        opening_balance: money(balance(m.start - 1)),
        closing_balance: money(balance(m.end)),
        currency: acc.country.currency,
        issue_date: this.cal.date(issueDay),
      });
      this.tables.document_files.push({
        id: acc.rng.uuid(),
        erp_id: `DMS-KA-${acc.number}-${m.label}`,
        erp_version: 1,
        account_id: acc.id,
        location_id: null,
        document_type: "statement",
        document_id: id,
        sales_order_id: null,
        title: acc.lang === "de" ? `Kontoauszug ${m.label}` : `Statement of account ${m.label}`,
        file_name: `${number}.pdf`,
        content_type: "application/pdf",
        byte_size: acc.rng.int(40_000, 160_000),
        sha256: sha256(`statement:${acc.number}:${m.label}`),
        issued_at: this.cal.at(issueDay, 6 * 60),
      });
    }
  }

  private dataSheets(acc: Acc) {
    const { rng } = acc;
    const products = rng.sample(acc.pool.filter((p) => p.kind === "goods"), rng.int(1, 4));
    for (const product of products) {
      this.tables.document_files.push({
        id: rng.uuid(),
        erp_id: `DMS-DS-${acc.number}-${product.sku}`,
        erp_version: 1,
        account_id: acc.id,
        location_id: null,
        document_type: "data_sheet",
        document_id: null,
        sales_order_id: null,
        title: acc.lang === "de" ? `Datenblatt ${product.de}` : `Data sheet ${product.en}`,
        file_name: `${product.sku}_datasheet_${acc.lang}.pdf`,
        content_type: "application/pdf",
        byte_size: rng.int(180_000, 2_400_000),
        // Same product and language, same file: the blob store keeps it once.
        sha256: sha256(`datasheet:${product.sku}:${acc.lang}`),
        issued_at: this.cal.at(-rng.int(200, 700), 10 * 60),
      });
    }
  }

  // ---- portal records: tickets, returns, notifications, sign-ups, imports, audit ---------------

  private portalRecords() {
    const rng = new Rng("portal-records");
    const cal = this.cal;
    const kessler = this.byKey.get("kessler")!;
    const u = (email: string) => this.users.get(email)!;
    const support = this.staff.get("support")!;
    const sales = this.staff.get("sales")!;
    const admin = this.staff.get("admin")!;
    const orders = kessler.orders;
    const partial = orders.find((o) => o.status === "partially_shipped")!;
    const inTransit = orders.find((o) => o.shipments.some((s) => s.row.status === "in_transit"))!;
    const overdue = kessler.invoices.find((i) => i.kind === "invoice" && i.row.status === "open" && (i.row.due_date as string) < cal.date(0))!;

    // Support tickets.
    const t1 = rng.uuid();
    const t2 = rng.uuid();
    this.tables.support_tickets.push(
      {
        id: t1, account_id: kessler.id, location_id: partial.loc.id, number: "T-1000",
        subject: `Liefertermin Restmenge Auftrag ${partial.row.number as string}`, category: "delivery", priority: "high",
        status: "waiting_on_supplier", related_entity_type: "sales_order", related_entity_id: partial.id,
        created_by_user_id: u("buyer@kessler.example").id, assigned_to_user_id: support.id, client_mutation_id: null,
        created_at: cal.at(-6, 8 * 60 + 12), closed_at: null,
      },
      {
        id: t2, account_id: kessler.id, location_id: null, number: "T-1001",
        subject: "Rechnungen bitte zusätzlich als XRechnung", category: "invoice", priority: "normal",
        status: "resolved", related_entity_type: null, related_entity_id: null,
        created_by_user_id: u("finance@kessler.example").id, assigned_to_user_id: support.id, client_mutation_id: null,
        created_at: cal.at(-40, 10 * 60), closed_at: cal.at(-38, 15 * 60),
      },
    );
    const msg = (ticket: string, author: User, day: number, min: number, body: string, internal = false) =>
      this.tables.ticket_messages.push({
        id: rng.uuid(), account_id: kessler.id, location_id: ticket === t1 ? partial.loc.id : null, ticket_id: ticket,
        author_user_id: author.id, body, is_internal: internal, client_mutation_id: null, created_at: cal.at(day, min),
      });
    msg(t1, u("buyer@kessler.example"), -6, 8 * 60 + 12, "Guten Morgen, wann können wir mit der Restmenge rechnen? Die Baustelle wartet auf die Drucktransmitter.");
    const rest = partial.row.promised_delivery_date as string;
    msg(t1, support, -6, 11 * 60 + 40, `Guten Tag Frau Vogt, die Restmenge ist für den ${rest.slice(8, 10)}.${rest.slice(5, 7)}.${rest.slice(0, 4)} eingeplant. Ich melde mich, sobald die Ware das Werk verlässt.`);
    msg(t1, support, -6, 11 * 60 + 45, "Produktion gefragt: Sensoren kommen verspätet vom Zulieferer.", true);
    msg(t1, u("buyer@kessler.example"), -2, 9 * 60 + 3, "Gibt es schon einen neuen Stand?");
    msg(t2, u("finance@kessler.example"), -40, 10 * 60, "Bitte senden Sie uns die Rechnungen künftig zusätzlich als XRechnung.");
    msg(t2, support, -38, 15 * 60, "Erledigt: Im Portal steht jede Rechnung jetzt auch als XRechnung (UBL und CII) zum Download bereit.");
    this.tables.support_tickets.push({
      id: rng.uuid(), account_id: this.byKey.get("nordhavn")!.id, location_id: null, number: "T-1002",
      subject: "Spare seals for CN 32 pumps", category: "product", priority: "normal", status: "open",
      related_entity_type: null, related_entity_id: null, created_by_user_id: u("buyer@nordhavn.example").id,
      assigned_to_user_id: null, client_mutation_id: null, created_at: cal.at(-3, 13 * 60), closed_at: null,
    });
    this.tables.ticket_messages.push({
      id: rng.uuid(), account_id: this.byKey.get("nordhavn")!.id, location_id: null,
      ticket_id: this.tables.support_tickets[2].id, author_user_id: u("buyer@nordhavn.example").id,
      body: "Could you quote 10 mechanical seal kits for our CN 32-160 pumps, delivery to Esbjerg?", is_internal: false,
      client_mutation_id: null, created_at: cal.at(-3, 13 * 60),
    });

    // A return request for a delivered line of a credited order.
    const delivered = orders.find((o) => o.status === "completed" && o.shipments.length === 1 && o.lines.some((l) => l.product.kind === "goods"))!;
    const dn = this.tables.delivery_notes.find((d) => d.sales_order_id === delivered.id)!;
    const rrId = rng.uuid();
    const rrLine = delivered.lines.find((l) => l.product.kind === "goods")!;
    this.tables.return_requests.push({
      id: rrId, erp_id: null, erp_version: 0, account_id: kessler.id, location_id: delivered.loc.id, number: "RMA-1000",
      sales_order_id: delivered.id, delivery_note_id: dn.id, invoice_id: delivered.invoices[0]?.id ?? null,
      requested_by_user_id: u("buyer@kessler.example").id, reason: "damaged",
      comment: "Verpackung bei Anlieferung beschädigt, Gehäuse gerissen. Fotos folgen per E-Mail.",
      status: "approved", decided_by_user_id: support.id, decided_at: cal.at(-3, 14 * 60),
      decision_note: "Rücksendung genehmigt, Abholung durch DHL wird beauftragt.", client_mutation_id: null,
      created_at: cal.at(-4, 9 * 60),
    });
    this.tables.return_request_lines.push({
      id: rng.uuid(), account_id: kessler.id, location_id: delivered.loc.id, return_request_id: rrId, line_no: 1,
      sales_order_line_id: rrLine.id, sku: rrLine.product.sku, description: rrLine.product.de,
      quantity: qty(rrLine.product.qty[2] * 1000), unit: rrLine.product.unit, created_at: cal.at(-4, 9 * 60),
    });

    // Notifications for the Kessler contacts.
    const note = (email: string, kind: string, title: string, body: string, link: string, day: number, read: boolean) =>
      this.tables.notifications.push({
        id: rng.uuid(), user_id: u(email).id, account_id: kessler.id, kind, title, body, link,
        read_at: read ? cal.at(day, 16 * 60) : null, created_at: cal.at(day, 7 * 60 + 30),
      });
    const ship = inTransit.shipments[0];
    note("buyer@kessler.example", "shipment.shipped", `Sendung ${ship.row.number as string} ist unterwegs`, `${ship.row.carrier as string}, Sendungsnummer ${ship.row.tracking_number as string}`, `/shipments/${ship.id}`, -2, false);
    note("buyer@kessler.example", "order.partially_shipped", `Teillieferung zu Auftrag ${partial.row.number as string}`, "Die Restmenge folgt.", `/orders/${partial.id}`, -12, true);
    note("finance@kessler.example", "invoice.overdue", `Rechnung ${overdue.row.number as string} ist überfällig`, `Offener Betrag ${overdue.row.amount_due as string} EUR`, `/invoices/${overdue.id}`, -5, false);
    note("admin@kessler.example", "quote.received", "Neues Angebot", "Ein neues Angebot liegt zur Freigabe bereit.", "/quotes", -6, false);

    // Sign-up requests.
    this.tables.signup_requests.push(
      { id: rng.uuid(), email: "einkauf@weber-kaeltetechnik.example", name: "Petra Weber", company_name: "Weber Kältetechnik GmbH", vat_id: germanVatId(rng), customer_number: null, phone: "+49 621 4477-0", message: "Wir sind Neukunde und möchten Bestellungen online verfolgen.", language: "de", status: "pending", decided_by: null, decided_at: null, decision_note: null, account_id: null, user_id: null, created_at: cal.at(-2, 10 * 60) },
      { id: rng.uuid(), email: "procurement@brightwater-pumps.example", name: "Oliver Grant", company_name: "Brightwater Pumps Ltd", vat_id: `GB${rng.digits(9)}`, customer_number: "10031", phone: null, message: "Existing customer, please give me access to our invoices.", language: "en", status: "pending", decided_by: null, decided_at: null, decision_note: null, account_id: null, user_id: null, created_at: cal.at(-1, 15 * 60) },
      { id: rng.uuid(), email: "info@mueller-privat.example", name: "Hans Müller", company_name: "Privat", vat_id: null, customer_number: null, phone: null, message: "Ich möchte eine Pumpe kaufen.", language: "de", status: "rejected", decided_by: sales.id, decided_at: cal.at(-20, 11 * 60), decision_note: "Privatkunde – bitte an den Fachhandel verweisen.", account_id: null, user_id: null, created_at: cal.at(-21, 18 * 60) },
    );

    // ERP connection: an API key (its secret is unknown, so it cannot be used), import runs and a rejected record.
    const keyId = rng.uuid();
    this.tables.api_keys.push({ id: keyId, name: "ERP push (Brandt ERP)", key_prefix: "llk_7d3e", key_hash: sha256(`demo-api-key:${rng.hex(32)}`), scopes: ["erp:write"], created_by: admin.id, created_at: cal.at(-200, 9 * 60), last_used_at: cal.at(-1, 22 * 60), expires_at: null, revoked_at: null });
    const runs: [string, string, number, number, number, number, string][] = [
      ["api", "sales_orders", 3, 1, 0, 0, "succeeded"],
      ["api", "invoices", 2, 2, 1, 0, "succeeded"],
      ["csv", "invoices", 1, 40, 3, 1, "partial"],
    ];
    let rejectedRun = "";
    runs.forEach(([source, entity, days, inserted, updated, rejected, status], i) => {
      const id = rng.uuid();
      if (rejected) rejectedRun = id;
      this.tables.import_runs.push({
        id, source, entity, api_key_id: source === "api" ? keyId : null, started_by: source === "csv" ? support.id : null,
        file_name: source === "csv" ? "rechnungen_export.csv" : null, started_at: cal.at(-days, 22 * 60 + i),
        finished_at: cal.at(-days, 22 * 60 + i + 1), status, inserted_count: inserted, updated_count: updated,
        unchanged_count: 12 * (i + 1), rejected_count: rejected, error: null,
      });
    });
    this.tables.rejected_records.push({
      id: rng.uuid(), import_run_id: rejectedRun, source: "csv", entity: "invoices", erp_id: "9099999901",
      raw_payload: "9099999901;INV-EXT-0001;99999;2024-13-01;EUR;1.190,00",
      errors: [
        { path: "customer_number", message: "unknown customer number 99999" },
        { path: "issue_date", message: "not a valid date: 2024-13-01" },
      ],
      created_at: cal.at(-1, 22 * 60 + 3), resolved_at: null, resolved_by: null, resolution_note: null,
    });

    // A few audit events, so the trail is not empty.
    const ev = (actor: User, action: string, day: number, min: number, entityType: string | null, entityId: string | null, accountId: string | null, details: Row = {}) =>
      this.tables.audit_events.push({
        at: cal.at(day, min), actor_user_id: actor.id, impersonator_user_id: null, account_id: accountId, action,
        entity_type: entityType, entity_id: entityId, ip: "203.0.113.17", user_agent: "Mozilla/5.0 (demo data)", details,
      });
    ev(u("finance@kessler.example"), "auth.login", -5, 8 * 60, "user", u("finance@kessler.example").id, kessler.id);
    ev(u("finance@kessler.example"), "document.view", -5, 8 * 60 + 2, "invoice", overdue.id, kessler.id, { number: overdue.row.number });
    ev(u("finance@kessler.example"), "document.download", -5, 8 * 60 + 3, "invoice", overdue.id, kessler.id, { number: overdue.row.number, format: "pdf" });
    ev(u("buyer@kessler.example"), "auth.login", -2, 9 * 60, "user", u("buyer@kessler.example").id, kessler.id);
    ev(support, "auth.login", -3, 7 * 60 + 45, "user", support.id, null);
    ev(support, "return.approved", -3, 14 * 60, "return_request", rrId, kessler.id, { number: "RMA-1000" });
  }
}

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 48" role="img" aria-label="Brandt &amp; Söhne"><rect width="48" height="48" rx="8" fill="#0b5c7a"/><path d="M14 12h12a8 8 0 0 1 0 16h-12zm0 16h14a8 8 0 0 1 0 16H14z" fill="none" stroke="#fff" stroke-width="4"/><text x="60" y="31" font-family="Helvetica, Arial, sans-serif" font-size="20" font-weight="700" fill="#0b5c7a">Brandt &amp; Söhne</text></svg>`;

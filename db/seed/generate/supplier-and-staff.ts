import { germanIban, germanVatId } from "../identifiers";
import { Rng } from "../random";
import type { GeneratorContext } from "./context";
import { addUser } from "./users";

/** The supplier running the portal (one supplier_settings row) and its staff logins. */

export const SUPPLIER = {
  legalName: "Brandt & Söhne Industrietechnik GmbH",
  tradeName: "Brandt & Söhne",
  street: "Heilbronner Straße 150",
  postalCode: "70191",
  city: "Stuttgart",
  countryCode: "DE",
};

export function addSupplierSettings(ctx: GeneratorContext) {
  const rng = new Rng("supplier");
  ctx.tables.supplier_settings.push({
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

export function addStaffUsers(ctx: GeneratorContext) {
  const rng = new Rng("staff");
  const staff: [string, string, string, string][] = [
    ["admin", "Katrin Brandt", "Leitung Vertriebsinnendienst", "admin@brandt-soehne.example"],
    ["sales", "Florian Maier", "Vertrieb Süddeutschland", "sales@brandt-soehne.example"],
    ["support", "Aylin Demir", "Kundenservice", "support@brandt-soehne.example"],
    ["finance", "Stefan Wolf", "Debitorenbuchhaltung", "finance@brandt-soehne.example"],
    ["sales", "Claire Dubois", "Export Sales Western Europe", "c.dubois@brandt-soehne.example"],
  ];
  for (const [role, name, title, email] of staff) {
    const user = addUser(ctx, rng, {
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
    ctx.staff.set(email.split("@")[0], user);
  }
}

// The supplier's logo, shown in the portal header and on documents.
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 48" role="img" aria-label="Brandt &amp; Söhne"><rect width="48" height="48" rx="8" fill="#0b5c7a"/><path d="M14 12h12a8 8 0 0 1 0 16h-12zm0 16h14a8 8 0 0 1 0 16H14z" fill="none" stroke="#fff" stroke-width="4"/><text x="60" y="31" font-family="Helvetica, Arial, sans-serif" font-size="20" font-weight="700" fill="#0b5c7a">Brandt &amp; Söhne</text></svg>`;

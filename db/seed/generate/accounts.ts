import type { Faker } from "@faker-js/faker";
import { leitwegId, vatIdFor } from "../identifiers";
import { money } from "../money";
import { Rng } from "../random";
import { COUNTRIES, PRODUCTS, type Country } from "../reference";
import type { AccountSpec } from "./account-specs";
import type { GeneratorContext } from "./context";
import type { Acc, CostCenter, Loc } from "./domain";
import type { Row } from "./tables";
import { COUNTRY_NAMES, slug } from "./text";

/** Customer accounts with their locations (ship-to addresses), cost centers and product range. */

export function addAccount(ctx: GeneratorContext, spec: AccountSpec) {
  const country = COUNTRIES[spec.country];
  const rng = new Rng(`account:${spec.key}`);
  const faker = ctx.fakers[country.fakerLocale];
  faker.seed(rng.seed());
  const parent = spec.parentKey ? ctx.byKey.get(spec.parentKey) ?? null : null;
  const fixed = spec.fixed;
  const number = fixed?.number ?? String(ctx.nextAccountNumber++);

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
    street = randomStreet(country, faker, rng);
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
  while (ctx.domains.has(domain)) domain = domain.replace(/\.example$/, `-${rng.int(2, 9)}.example`);
  ctx.domains.add(domain);

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
  ctx.tables.accounts.push(row);

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
    spec,
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
        out.push({ code: `${String(i + 2).padStart(2, "0")}`, name: `${names[1 + ((i + rng.int(0, 4)) % 5)]} ${c}`, street: randomStreet(country, faker, rng), postalCode: p, city: c });
      });
      return out;
    })();
  locSpecs.forEach((l, i) => {
    const loc: Loc = { id: rng.uuid(), code: l.code, name: l.name, street: l.street, postalCode: l.postalCode, city: l.city, countryCode: country.code };
    acc.locations.push(loc);
    ctx.tables.locations.push({
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
    ctx.tables.cost_centers.push({ id: cc.id, erp_id: `${accErp}-KST${code}`, erp_version: 1, account_id: id, code, name: ccName });
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

  ctx.accounts.push(acc);
  ctx.byKey.set(spec.key, acc);
}

function randomStreet(country: Country, faker: Faker, rng: Rng): string {
  if (country.streets) {
    const s = rng.pick(country.streets);
    return country.code === "US" ? `${rng.int(100, 9999)} ${s}` : `${rng.int(1, 240)} ${s}`;
  }
  return faker.location.streetAddress();
}

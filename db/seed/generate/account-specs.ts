/**
 * Which accounts exist: four fixed demo accounts the README promises (Kessler, Kessler Austria,
 * Lumière, Nordhavn) and ~36 generated ones with random names but a fixed country mix.
 */

export interface AccountSpec {
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

export function accountSpecs(): AccountSpec[] {
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

/**
 * Reference data of the demo generator. Faker is a dev dependency: nothing here imports it, so the
 * app can import the seed module (isSeeded, DEMO_LOGINS) without it; the generator loads the
 * locale fakers named in `fakerLocale` only when it runs.
 */
export type FakerLocale =
  | "fakerDE" | "fakerDE_AT" | "fakerDE_CH" | "fakerFR" | "fakerNL" | "fakerIT" | "fakerES" | "fakerPL"
  | "fakerDA" | "fakerSV" | "fakerEN_GB" | "fakerEN_US";

/** The catalogue of Brandt & Söhne: industrial pumps, valves, bearings, sensors, cables, fittings. */
export interface Product {
  sku: string;
  de: string;
  en: string;
  /** UN/ECE Recommendation 20 unit code. */
  unit: "C62" | "MTR" | "KGM" | "LTR" | "SET" | "HUR" | "DAY";
  /** List price in EUR. */
  price: string;
  kg: number;
  /** goods: standard rate; reduced: 7 % in Germany (books); service: not shipped. */
  kind: "goods" | "reduced" | "service";
  /** Order quantities: from, to, step (in the unit). */
  qty: readonly [number, number, number];
  /** Ships with a 3.1 inspection certificate (EN 10204). */
  certified?: boolean;
}

export const PRODUCTS: readonly Product[] = [
  // Pumps
  { sku: "PMP-CN-32-160", de: "Normpumpe CN 32-160, 4 kW", en: "End-suction pump CN 32-160, 4 kW", unit: "C62", price: "1890.00", kg: 68, kind: "goods", qty: [1, 4, 1], certified: true },
  { sku: "PMP-CN-50-200", de: "Normpumpe CN 50-200, 7,5 kW", en: "End-suction pump CN 50-200, 7.5 kW", unit: "C62", price: "2940.00", kg: 112, kind: "goods", qty: [1, 3, 1], certified: true },
  { sku: "PMP-IL-65-8", de: "Inline-Umwälzpumpe IL 65/8", en: "Inline circulator pump IL 65/8", unit: "C62", price: "1245.00", kg: 34, kind: "goods", qty: [1, 6, 1] },
  { sku: "PMP-SP-12-9", de: "Unterwasserpumpe 4\" SP 12-9", en: "4\" submersible pump SP 12-9", unit: "C62", price: "1580.00", kg: 21, kind: "goods", qty: [1, 4, 1] },
  { sku: "PMP-DP-10", de: "Dosierpumpe DP 10 l/h, PVDF", en: "Metering pump DP 10 l/h, PVDF", unit: "C62", price: "685.00", kg: 6, kind: "goods", qty: [1, 8, 1] },
  { sku: "KIT-SEAL-CN32", de: "Gleitringdichtungssatz für CN 32", en: "Mechanical seal kit for CN 32", unit: "SET", price: "186.00", kg: 1.2, kind: "goods", qty: [1, 10, 1] },
  // Valves
  { sku: "VLV-BV-DN25", de: "Kugelhahn DN 25 PN 40, Edelstahl 1.4408", en: "Ball valve DN 25 PN 40, stainless steel 1.4408", unit: "C62", price: "128.40", kg: 2.1, kind: "goods", qty: [2, 40, 2], certified: true },
  { sku: "VLV-BV-DN50", de: "Kugelhahn DN 50 PN 40, Edelstahl 1.4408", en: "Ball valve DN 50 PN 40, stainless steel 1.4408", unit: "C62", price: "312.50", kg: 6.4, kind: "goods", qty: [1, 20, 1], certified: true },
  { sku: "VLV-BF-DN100", de: "Absperrklappe DN 100 mit Handhebel", en: "Butterfly valve DN 100, lever operated", unit: "C62", price: "214.00", kg: 5.8, kind: "goods", qty: [1, 12, 1] },
  { sku: "VLV-GV-DN80", de: "Keilschieber DN 80 PN 16, GGG-40", en: "Gate valve DN 80 PN 16, ductile iron", unit: "C62", price: "389.00", kg: 19, kind: "goods", qty: [1, 10, 1], certified: true },
  { sku: "VLV-CV-DN40", de: "Rückschlagventil DN 40 PN 16", en: "Check valve DN 40 PN 16", unit: "C62", price: "96.80", kg: 3.2, kind: "goods", qty: [2, 30, 2] },
  { sku: "VLV-SV-12", de: "Sicherheitsventil 1/2\" 10 bar", en: "Safety relief valve 1/2\" 10 bar", unit: "C62", price: "74.90", kg: 0.6, kind: "goods", qty: [2, 24, 2] },
  { sku: "VLV-ACT-DN50", de: "Kugelhahn DN 50 mit E-Antrieb 24 V", en: "Ball valve DN 50 with 24 V electric actuator", unit: "C62", price: "1120.00", kg: 9.5, kind: "goods", qty: [1, 6, 1] },
  { sku: "KIT-SVC-VLV", de: "Wartungsset Armaturen (Dichtungen, Fett)", en: "Valve service kit (seals, grease)", unit: "SET", price: "64.00", kg: 0.8, kind: "goods", qty: [1, 20, 1] },
  // Bearings and drive parts
  { sku: "BRG-6205-2RS", de: "Rillenkugellager 6205-2RS", en: "Deep groove ball bearing 6205-2RS", unit: "C62", price: "6.85", kg: 0.13, kind: "goods", qty: [10, 200, 10] },
  { sku: "BRG-6308-ZZ", de: "Rillenkugellager 6308-ZZ", en: "Deep groove ball bearing 6308-ZZ", unit: "C62", price: "18.40", kg: 0.63, kind: "goods", qty: [10, 100, 10] },
  { sku: "BRG-22212-E", de: "Pendelrollenlager 22212 E", en: "Spherical roller bearing 22212 E", unit: "C62", price: "142.00", kg: 1.6, kind: "goods", qty: [2, 20, 2] },
  { sku: "BRG-UCP-208", de: "Stehlagereinheit UCP 208", en: "Pillow block bearing unit UCP 208", unit: "C62", price: "39.50", kg: 2.2, kind: "goods", qty: [2, 40, 2] },
  { sku: "BRG-32210", de: "Kegelrollenlager 32210", en: "Tapered roller bearing 32210", unit: "C62", price: "27.90", kg: 0.75, kind: "goods", qty: [4, 60, 4] },
  { sku: "DRV-MOT-4KW", de: "Drehstrommotor IE3 4 kW, B3", en: "Three-phase motor IE3 4 kW, B3", unit: "C62", price: "612.00", kg: 32, kind: "goods", qty: [1, 6, 1] },
  { sku: "DRV-FU-5K5", de: "Frequenzumrichter 5,5 kW", en: "Variable frequency drive 5.5 kW", unit: "C62", price: "845.00", kg: 4.1, kind: "goods", qty: [1, 6, 1] },
  { sku: "DRV-BELT-SPA1250", de: "Schmalkeilriemen SPA 1250", en: "Narrow V-belt SPA 1250", unit: "C62", price: "11.60", kg: 0.2, kind: "goods", qty: [4, 50, 2] },
  { sku: "DRV-CPL-N95", de: "Elastische Kupplung N-EUPEX 95", en: "Flexible coupling N-EUPEX 95", unit: "C62", price: "148.00", kg: 3.4, kind: "goods", qty: [1, 8, 1] },
  // Sensors
  { sku: "SNS-PT-16", de: "Drucktransmitter 0–16 bar, 4–20 mA", en: "Pressure transmitter 0–16 bar, 4–20 mA", unit: "C62", price: "289.00", kg: 0.4, kind: "goods", qty: [1, 12, 1] },
  { sku: "SNS-TT-PT100", de: "Einschraub-Widerstandsthermometer Pt100", en: "Screw-in resistance thermometer Pt100", unit: "C62", price: "118.00", kg: 0.3, kind: "goods", qty: [2, 20, 2] },
  { sku: "SNS-FM-DN50", de: "Magnetisch-induktiver Durchflussmesser DN 50", en: "Electromagnetic flow meter DN 50", unit: "C62", price: "1980.00", kg: 11, kind: "goods", qty: [1, 3, 1], certified: true },
  { sku: "SNS-LV-80G", de: "Radar-Füllstandsensor 80 GHz", en: "80 GHz radar level sensor", unit: "C62", price: "1450.00", kg: 1.9, kind: "goods", qty: [1, 4, 1] },
  { sku: "SNS-PX-M18", de: "Induktiver Näherungsschalter M18, PNP", en: "Inductive proximity sensor M18, PNP", unit: "C62", price: "34.20", kg: 0.1, kind: "goods", qty: [5, 50, 5] },
  // Cables and hoses (by the metre)
  { sku: "CBL-NYM-3X2.5", de: "Mantelleitung NYM-J 3×2,5 mm²", en: "Installation cable NYM-J 3×2.5 mm²", unit: "MTR", price: "1.12", kg: 0.15, kind: "goods", qty: [100, 1000, 50] },
  { sku: "CBL-CTRL-7G1.5", de: "Steuerleitung 7G1,5 mm², ölbeständig", en: "Control cable 7G1.5 mm², oil resistant", unit: "MTR", price: "3.48", kg: 0.19, kind: "goods", qty: [50, 500, 50] },
  { sku: "CBL-H07-4G16", de: "Gummischlauchleitung H07RN-F 4G16", en: "Rubber flexible cable H07RN-F 4G16", unit: "MTR", price: "14.90", kg: 1.1, kind: "goods", qty: [25, 200, 25] },
  { sku: "CBL-CAT6A", de: "Datenkabel Cat. 6A S/FTP", en: "Data cable Cat. 6A S/FTP", unit: "MTR", price: "1.65", kg: 0.07, kind: "goods", qty: [100, 1000, 100] },
  { sku: "HOS-2SN-DN12", de: "Hydraulikschlauch 2SN DN 12", en: "Hydraulic hose 2SN DN 12", unit: "MTR", price: "9.80", kg: 0.6, kind: "goods", qty: [10, 100, 5] },
  // Fittings
  { sku: "FIT-EL90-DN50", de: "Rohrbogen 90° DN 50, Edelstahl 1.4571", en: "90° elbow DN 50, stainless steel 1.4571", unit: "C62", price: "23.40", kg: 0.5, kind: "goods", qty: [5, 80, 5], certified: true },
  { sku: "FIT-FL-DN80", de: "Vorschweißflansch DN 80 PN 16", en: "Weld neck flange DN 80 PN 16", unit: "C62", price: "31.70", kg: 2.9, kind: "goods", qty: [4, 60, 2], certified: true },
  { sku: "FIT-TEE-DN25", de: "T-Stück DN 25, Edelstahl", en: "Tee DN 25, stainless steel", unit: "C62", price: "12.10", kg: 0.2, kind: "goods", qty: [5, 100, 5] },
  { sku: "FIT-PF-22", de: "Pressfitting Bogen 90° 22 mm, Kupfer", en: "Press fitting elbow 90° 22 mm, copper", unit: "C62", price: "4.35", kg: 0.05, kind: "goods", qty: [20, 400, 20] },
  { sku: "FIT-GSK-DN50", de: "Flachdichtung DN 50 PN 40", en: "Flat gasket DN 50 PN 40", unit: "C62", price: "2.90", kg: 0.02, kind: "goods", qty: [10, 200, 10] },
  { sku: "FIT-UN-1", de: "Verschraubung 1\", Messing", en: "Brass union 1\"", unit: "C62", price: "8.75", kg: 0.25, kind: "goods", qty: [10, 100, 10] },
  // Lubricants
  { sku: "LUB-GR-EP2", de: "Hochleistungsfett EP2", en: "High-performance grease EP2", unit: "KGM", price: "12.40", kg: 1, kind: "goods", qty: [5, 50, 5] },
  { sku: "LUB-HLP46", de: "Hydrauliköl HLP 46", en: "Hydraulic oil HLP 46", unit: "LTR", price: "3.95", kg: 0.9, kind: "goods", qty: [20, 400, 20] },
  // Printed books: 7 % VAT in Germany
  { sku: "DOC-HB-PUMP", de: "Fachbuch Pumpentechnik, 6. Auflage", en: "Pump engineering handbook, 6th edition", unit: "C62", price: "64.00", kg: 1.1, kind: "reduced", qty: [1, 5, 1] },
  { sku: "DOC-HB-VALVE", de: "Handbuch Industriearmaturen, 3. Auflage", en: "Industrial valves handbook, 3rd edition", unit: "C62", price: "49.00", kg: 0.9, kind: "reduced", qty: [1, 5, 1] },
  // Services (not shipped)
  { sku: "SVC-COMM", de: "Inbetriebnahme vor Ort (Technikerstunde)", en: "On-site commissioning (technician hour)", unit: "HUR", price: "98.00", kg: 0, kind: "service", qty: [2, 16, 1] },
  { sku: "SVC-REPAIR", de: "Pumpenreparatur in der Werkstatt (Stunde)", en: "Pump workshop repair (hour)", unit: "HUR", price: "86.00", kg: 0, kind: "service", qty: [2, 12, 1] },
  { sku: "SVC-TRAIN", de: "Schulung Pumpentechnik (Tag)", en: "Pump technology training (day)", unit: "DAY", price: "1150.00", kg: 0, kind: "service", qty: [1, 2, 1] },
];

export type VatZone = "DE" | "EU" | "EXPORT";

export interface Country {
  code: string;
  language: "de" | "en";
  currency: string;
  /** Price of 1 EUR in the account's currency (list prices are converted once, then fixed). */
  fx: number;
  zone: VatZone;
  fakerLocale: FakerLocale;
  cities: readonly (readonly [string, string])[];
  legalForms: readonly string[];
  trades: readonly string[];
  phone: string;
  poPrefix: readonly string[];
  /** Curated streets where the locale's faker street names read oddly. */
  streets?: readonly string[];
  /** Transit days by road or parcel from Stuttgart. */
  transit: readonly [number, number];
}

export const COUNTRIES: Record<string, Country> = {
  DE: {
    code: "DE", language: "de", currency: "EUR", fx: 1, zone: "DE", fakerLocale: "fakerDE", phone: "+49",
    cities: [["Stuttgart", "70173"], ["München", "80331"], ["Hamburg", "20095"], ["Köln", "50667"], ["Frankfurt am Main", "60311"],
      ["Düsseldorf", "40213"], ["Nürnberg", "90402"], ["Hannover", "30159"], ["Leipzig", "04109"], ["Dortmund", "44135"],
      ["Mannheim", "68159"], ["Karlsruhe", "76133"], ["Augsburg", "86150"], ["Freiburg im Breisgau", "79098"], ["Bremen", "28195"],
      ["Dresden", "01067"], ["Essen", "45127"], ["Bielefeld", "33602"], ["Kassel", "34117"], ["Heilbronn", "74072"],
      ["Reutlingen", "72764"], ["Regensburg", "93047"], ["Würzburg", "97070"], ["Magdeburg", "39104"]],
    legalForms: ["GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG"],
    trades: ["Anlagenbau", "Haustechnik", "Maschinenbau", "Pumpentechnik", "Industrieservice", "Verfahrenstechnik",
      "Kältetechnik", "Metallbau", "Automation", "Fördertechnik", "Wassertechnik", "Gebäudetechnik"],
    poPrefix: ["BE-", "EK-", "B", "PO-"],
    transit: [1, 2],
  },
  AT: {
    code: "AT", language: "de", currency: "EUR", fx: 1, zone: "EU", fakerLocale: "fakerDE_AT", phone: "+43",
    cities: [["Wien", "1100"], ["Graz", "8020"], ["Linz", "4020"], ["Salzburg", "5020"], ["Innsbruck", "6020"], ["Klagenfurt", "9020"], ["Wels", "4600"]],
    legalForms: ["GmbH", "GmbH", "GesmbH", "AG"],
    trades: ["Anlagenbau", "Haustechnik", "Installationen", "Industrietechnik", "Kältetechnik"],
    poPrefix: ["BST-", "B-", "PO-"],
    transit: [2, 3],
  },
  CH: {
    code: "CH", language: "de", currency: "CHF", fx: 0.94, zone: "EXPORT", fakerLocale: "fakerDE_CH", phone: "+41",
    cities: [["Zürich", "8005"], ["Basel", "4057"], ["Bern", "3014"], ["Winterthur", "8400"], ["St. Gallen", "9000"], ["Luzern", "6005"]],
    legalForms: ["AG", "AG", "GmbH"],
    trades: ["Haustechnik", "Anlagenbau", "Präzisionstechnik", "Verfahrenstechnik", "Gebäudetechnik"],
    poPrefix: ["BE-", "PO-"],
    transit: [2, 4],
  },
  FR: {
    code: "FR", language: "en", currency: "EUR", fx: 1, zone: "EU", fakerLocale: "fakerFR", phone: "+33",
    cities: [["Lyon", "69007"], ["Paris", "75012"], ["Toulouse", "31000"], ["Lille", "59000"], ["Nantes", "44000"],
      ["Strasbourg", "67100"], ["Bordeaux", "33300"], ["Grenoble", "38000"], ["Mulhouse", "68100"]],
    legalForms: ["SARL", "SAS", "SA"],
    trades: ["Équipements", "Industrie", "Hydraulique", "Maintenance", "Technologies", "Process"],
    poPrefix: ["BC-", "CMD-", "PO-"],
    transit: [2, 4],
  },
  NL: {
    code: "NL", language: "en", currency: "EUR", fx: 1, zone: "EU", fakerLocale: "fakerNL", phone: "+31",
    cities: [["Rotterdam", "3011 AA"], ["Eindhoven", "5611 AB"], ["Utrecht", "3511 AB"], ["Amsterdam", "1043 AB"],
      ["Groningen", "9711 AA"], ["Tilburg", "5038 AA"], ["Venlo", "5911 AB"]],
    legalForms: ["B.V.", "B.V.", "N.V."],
    trades: ["Techniek", "Installatietechniek", "Industrie", "Machinebouw", "Procestechniek"],
    poPrefix: ["PO-", "IO-"],
    transit: [2, 3],
  },
  IT: {
    code: "IT", language: "en", currency: "EUR", fx: 1, zone: "EU", fakerLocale: "fakerIT", phone: "+39",
    cities: [["Milano", "20121"], ["Torino", "10121"], ["Bologna", "40121"], ["Brescia", "25121"], ["Verona", "37121"], ["Bergamo", "24121"]],
    legalForms: ["S.r.l.", "S.r.l.", "S.p.A."],
    trades: ["Impianti", "Meccanica", "Idraulica", "Automazione", "Tecnologie"],
    poPrefix: ["ODA-", "PO-"],
    transit: [3, 5],
  },
  ES: {
    code: "ES", language: "en", currency: "EUR", fx: 1, zone: "EU", fakerLocale: "fakerES", phone: "+34",
    cities: [["Barcelona", "08005"], ["Madrid", "28045"], ["Valencia", "46001"], ["Bilbao", "48001"], ["Zaragoza", "50001"], ["Sevilla", "41001"]],
    legalForms: ["S.L.", "S.L.", "S.A."],
    trades: ["Instalaciones", "Ingeniería", "Suministros Industriales", "Hidráulica", "Mantenimiento"],
    poPrefix: ["PED-", "PO-"],
    transit: [3, 6],
  },
  PL: {
    code: "PL", language: "en", currency: "EUR", fx: 1, zone: "EU", fakerLocale: "fakerPL", phone: "+48",
    cities: [["Warszawa", "02-001"], ["Kraków", "30-001"], ["Wrocław", "50-001"], ["Poznań", "60-001"], ["Gdańsk", "80-001"], ["Katowice", "40-001"]],
    legalForms: ["Sp. z o.o.", "Sp. z o.o.", "S.A."],
    trades: ["Instalacje", "Technika", "Przemysł", "Serwis", "Automatyka"],
    poPrefix: ["ZAM/", "PO-"],
    transit: [2, 4],
  },
  DK: {
    code: "DK", language: "en", currency: "EUR", fx: 1, zone: "EU", fakerLocale: "fakerDA", phone: "+45",
    cities: [["København", "2450"], ["Aarhus", "8000"], ["Odense", "5000"], ["Esbjerg", "6700"], ["Aalborg", "9000"]],
    legalForms: ["A/S", "ApS"],
    trades: ["Teknik", "Maskinfabrik", "VVS", "Industri", "Service"],
    poPrefix: ["PO-", "IK-"],
    transit: [2, 4],
  },
  SE: {
    code: "SE", language: "en", currency: "EUR", fx: 1, zone: "EU", fakerLocale: "fakerSV", phone: "+46",
    cities: [["Göteborg", "417 05"], ["Stockholm", "120 30"], ["Malmö", "211 20"], ["Västerås", "721 30"], ["Linköping", "582 73"]],
    legalForms: ["AB"],
    trades: ["Teknik", "Industri", "Verkstad", "Pumpservice", "Processteknik"],
    poPrefix: ["PO-", "IO-"],
    transit: [3, 5],
  },
  GB: {
    code: "GB", language: "en", currency: "GBP", fx: 0.85, zone: "EXPORT", fakerLocale: "fakerEN_GB", phone: "+44",
    cities: [["Birmingham", "B6 7EU"], ["Manchester", "M17 1SN"], ["Leeds", "LS11 5LN"], ["Sheffield", "S9 1XH"], ["Bristol", "BS11 9YJ"], ["Glasgow", "G52 4TL"]],
    legalForms: ["Ltd", "Ltd", "plc"],
    trades: ["Engineering", "Process Systems", "Fluid Power", "Industrial Supplies", "Pumps & Valves"],
    poPrefix: ["PO-", "P"],
    streets: ["Trafford Park Road", "Aston Cross Business Park", "Kingsway Business Park", "Hillington Road", "Gelderd Road", "Attercliffe Road", "Avonmouth Way"],
    transit: [3, 5],
  },
  US: {
    code: "US", language: "en", currency: "USD", fx: 1.08, zone: "EXPORT", fakerLocale: "fakerEN_US", phone: "+1",
    cities: [["Milwaukee, WI", "53204"], ["Cleveland, OH", "44114"], ["Houston, TX", "77029"], ["Charlotte, NC", "28206"]],
    legalForms: ["Inc.", "LLC"],
    trades: ["Industrial Supply", "Process Equipment", "Fluid Systems", "Pump & Valve"],
    poPrefix: ["PO-", "PO#"],
    streets: ["W Bender Road", "Industrial Parkway", "Commerce Drive", "Lakeside Avenue", "Clinton Drive", "Statesville Avenue"],
    transit: [12, 20],
  },
};

export interface Carrier {
  name: string;
  service: string;
  trackingNumber: (digits: (n: number) => string) => string;
  trackingUrl: (trackingNumber: string) => string;
}

export const CARRIERS = {
  dhl: {
    name: "DHL",
    service: "DHL Paket",
    trackingNumber: (d) => `00340434${d(12)}`,
    trackingUrl: (n) => `https://www.dhl.com/de-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=${n}`,
  },
  dhlExpress: {
    name: "DHL",
    service: "DHL Express Worldwide",
    trackingNumber: (d) => d(10),
    trackingUrl: (n) => `https://www.dhl.com/de-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
  },
  dpd: {
    name: "DPD",
    service: "DPD Classic",
    trackingNumber: (d) => `0${d(13)}`,
    trackingUrl: (n) => `https://tracking.dpd.de/status/de_DE/parcel/${n}`,
  },
  ups: {
    name: "UPS",
    service: "UPS Standard",
    trackingNumber: (d) => `1Z4E7F21${d(10)}`,
    trackingUrl: (n) => `https://www.ups.com/track?loc=de_DE&tracknum=${n}`,
  },
  schenker: {
    name: "DB Schenker",
    service: "DB SCHENKERsystem (pallet)",
    trackingNumber: (d) => `1${d(9)}`,
    trackingUrl: (n) => `https://www.dbschenker.com/app/tracking-public/?refNumber=${n}&refType=ShippersRefNo`,
  },
  kn: {
    name: "Kuehne+Nagel",
    service: "KN Sea Freight LCL",
    trackingNumber: (d) => `KNDE${d(8)}`,
    trackingUrl: (n) => `https://mykn.kuehne-nagel.com/public-tracking/shipments?query=${n}`,
  },
} satisfies Record<string, Carrier>;

/** Hubs per country for tracking events. */
export const HUBS: Record<string, string> = {
  DE: "Knotenpunkt Hub", AT: "Wien Hub", CH: "Basel (Zoll)", FR: "Strasbourg Hub", NL: "Venlo Hub", IT: "Verona Hub",
  ES: "Barcelona Hub", PL: "Poznań Hub", DK: "Padborg Hub", SE: "Helsingborg Hub", GB: "East Midlands Hub", US: "Port of Baltimore",
};

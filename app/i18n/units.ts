import { formatNumber, type Language } from "./i18n";

/**
 * Unit codes as the ERP and the e-invoices carry them (UN/ECE Recommendation 20, and Rec 21
 * package codes with their "X" prefix as EN 16931 admits them) in the words a customer reads after
 * a quantity: "30 pcs", "30 Stk.". The XML e-invoices keep the codes; only what people read uses
 * these labels. Codes not listed here are shown as they are, never blank.
 */

/** A label that reads the same after any quantity, or its forms after exactly 1 and after any other quantity. */
type Label = string | { one: string; other: string };

const PIECES: Record<Language, Label> = { en: { one: "pc", other: "pcs" }, de: "Stk." };
const PACKS: Record<Language, Label> = { en: { one: "pack", other: "packs" }, de: "Pck." };
const BOXES: Record<Language, Label> = { en: { one: "box", other: "boxes" }, de: { one: "Box", other: "Boxen" } };
const CARTONS: Record<Language, Label> = { en: { one: "carton", other: "cartons" }, de: { one: "Karton", other: "Kartons" } };
const ROLLS: Record<Language, Label> = { en: { one: "roll", other: "rolls" }, de: { one: "Rolle", other: "Rollen" } };
const same = (label: string): Record<Language, Label> => ({ en: label, de: label });

const UNITS: Record<string, Record<Language, Label>> = {
  C62: PIECES, // "one": the EN 16931 default for counted items
  H87: PIECES, // piece
  EA: PIECES, // each
  // PCE is not a Rec 20 code (the old EDIFACT "piece", replaced by H87), but ERPs still send it.
  PCE: PIECES,
  XPP: PIECES, // Rec 21 "piece": a loose, unpacked article
  KGM: same("kg"),
  GRM: same("g"),
  TNE: same("t"),
  MTR: same("m"),
  CMT: same("cm"),
  MMT: same("mm"),
  KMT: same("km"),
  MTK: same("m²"),
  MTQ: same("m³"),
  LTR: same("l"),
  MLT: same("ml"),
  KWH: same("kWh"),
  MIN: { en: "min", de: "Min." },
  HUR: { en: "h", de: "Std." },
  DAY: { en: { one: "day", other: "days" }, de: { one: "Tag", other: "Tage" } },
  WEE: { en: { one: "week", other: "weeks" }, de: { one: "Woche", other: "Wochen" } },
  MON: { en: { one: "month", other: "months" }, de: { one: "Monat", other: "Monate" } },
  ANN: { en: { one: "year", other: "years" }, de: { one: "Jahr", other: "Jahre" } },
  SET: { en: { one: "set", other: "sets" }, de: { one: "Satz", other: "Sätze" } },
  PR: { en: { one: "pair", other: "pairs" }, de: "Paar" },
  E48: { en: { one: "unit", other: "units" }, de: "Einh." }, // service unit
  LS: { en: "lump sum", de: "pauschal" },
  // Package codes: Rec 21 with the "X" prefix, and the bare codes older Rec 20 lists carried.
  XPK: PACKS,
  PK: PACKS,
  XBX: BOXES,
  BX: BOXES,
  XCT: CARTONS,
  CT: CARTONS,
  XRO: ROLLS,
  RO: ROLLS,
  XPX: { en: { one: "pallet", other: "pallets" }, de: { one: "Palette", other: "Paletten" } },
  XSA: { en: { one: "sack", other: "sacks" }, de: { one: "Sack", other: "Säcke" } },
  XBG: { en: { one: "bag", other: "bags" }, de: "Beutel" },
};

/**
 * A unit code as a short label in `lang`, in the form that reads right after `quantity` (the plural
 * when no quantity is given). An unknown code is shown as it is; no code gives "".
 */
export function unitLabel(lang: Language, code: string | null | undefined, quantity?: string | number): string {
  if (!code) return "";
  const label = UNITS[code]?.[lang];
  if (label === undefined) return code;
  if (typeof label === "string") return label;
  return quantity !== undefined && Number(quantity) === 1 ? label.one : label.other;
}

/** A quantity with its unit as a customer reads it: "30 pcs", "1,5 Std.". */
export function formatQuantity(lang: Language, quantity: string | number, code: string | null | undefined): string {
  const unit = unitLabel(lang, code, quantity);
  return unit ? `${formatNumber(lang, quantity)} ${unit}` : formatNumber(lang, quantity);
}

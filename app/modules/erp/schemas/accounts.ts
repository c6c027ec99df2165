import { z } from "zod";
import {
  bool,
  countryCode,
  currency,
  erpRef,
  integer,
  money,
  oneOf,
  optionalRef,
  optionalText,
  requireVersion,
  text,
  versioned,
} from "./fields";

/** Customer companies, their ship-to locations and cost centers, as the ERP sends them. */

export const AccountShape = z.strictObject({
  ...versioned,
  parentErpId: optionalRef("parent account"),
  number: text(40).meta({ description: "Customer number" }),
  name: text(200),
  vatId: optionalText(30),
  countryCode: countryCode(),
  language: oneOf(["en", "de"]).default("en"),
  currency: currency().default("EUR"),
  buyerReference: optionalText(100).meta({ description: "Leitweg-ID for public-sector buyers (XRechnung BT-10)" }),
  einvoiceAddress: optionalText(254),
  street: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  email: optionalText(254),
  phone: optionalText(50),
  paymentTermsDays: integer(0, 3650).default(30),
  creditLimit: money({ min: 0 })
    .nullish()
    .transform((v) => v ?? null),
  status: oneOf(["active", "inactive"]).default("active"),
});

export const AccountSchema = AccountShape.superRefine((record, ctx) => {
  requireVersion(record, ctx);
  if (record.parentErpId && record.parentErpId === record.erpId) {
    ctx.addIssue({ code: "custom", path: ["parentErpId"], message: "must not be the account itself" });
  }
});

export const LocationShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  code: text(40),
  name: text(200),
  street: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  countryCode: countryCode()
    .nullish()
    .transform((v) => v ?? null),
  isDefaultShipTo: bool().default(false),
});

export const LocationSchema = LocationShape.superRefine(requireVersion);

export const CostCenterShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  code: text(40),
  name: text(200),
});

export const CostCenterSchema = CostCenterShape.superRefine(requireVersion);

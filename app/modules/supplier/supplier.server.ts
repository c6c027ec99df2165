import type { Queryable } from "~/db/db.server";

export interface SupplierSettings {
  legalName: string;
  tradeName: string | null;
  brandColor: string;
  defaultLanguage: "en" | "de";
  selfSignupEnabled: boolean;
  email: string | null;
}

export async function getSupplierSettings(db: Queryable): Promise<SupplierSettings> {
  const { rows } = await db.query<SupplierSettings>(
    `SELECT legal_name AS "legalName", trade_name AS "tradeName", brand_color AS "brandColor",
            default_language AS "defaultLanguage", self_signup_enabled AS "selfSignupEnabled", email
       FROM supplier_settings WHERE id = 1`,
  );
  return (
    rows[0] ?? {
      legalName: "Ledgerlight",
      tradeName: null,
      brandColor: "#1f4e79",
      defaultLanguage: "en",
      selfSignupEnabled: false,
      email: null,
    }
  );
}

export function supplierDisplayName(supplier: SupplierSettings): string {
  return supplier.tradeName ?? supplier.legalName;
}

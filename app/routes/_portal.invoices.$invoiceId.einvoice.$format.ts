import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { originOf } from "~/modules/documents/access-log.server";
import { downloadInvoiceEInvoice } from "~/modules/documents/downloads.server";
import { fileResponse, refusalResponse } from "~/modules/documents/http.server";
import { isEInvoiceFormat } from "~/modules/einvoice/model";
import { EInvoiceRefusedError } from "~/modules/einvoice/validate";

/**
 * The invoice as e-invoice: XRechnung UBL / CII, Factur-X XML, or ZUGFeRD hybrid PDF. An invoice
 * that would break an EN 16931 / XRechnung rule gets 422 with the rules, never an invalid file.
 */
export const handle = routeAccess({ area: "portal", permission: "invoices.read" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "invoices.read");
  const format = params.format;
  if (!isEInvoiceFormat(format)) notFound();
  try {
    const file = await downloadInvoiceEInvoice(scope, params.invoiceId ?? "", format, originOf(scope, request, context.clientIp));
    if (!file) notFound();
    return fileResponse(request, file, "attachment");
  } catch (error) {
    if (error instanceof EInvoiceRefusedError) return refusalResponse(error.violations, format);
    throw error;
  }
}

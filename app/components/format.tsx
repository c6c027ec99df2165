import { codeLabel, formatDate, formatMoney, type Language } from "~/i18n/i18n";
import { useRootData } from "~/root";

export function useLang(): Language {
  return useRootData()?.language ?? "en";
}

const TONE: Record<string, string> = {
  overdue: "danger",
  cancelled: "danger",
  exception: "danger",
  paid: "ok",
  completed: "ok",
  delivered: "ok",
  shipped: "ok",
  accepted: "ok",
  approved: "ok",
  credited: "ok",
  resolved: "ok",
  rejected: "danger",
  expired: "warn",
  sent: "warn",
  waiting_on_customer: "warn",
  partially_paid: "warn",
  partially_shipped: "warn",
  on_hold: "warn",
};

export function StatusBadge({ status }: { status: string }) {
  const lang = useLang();
  return <span className={`badge ${TONE[status] ?? ""}`}>{codeLabel(lang, "status", status)}</span>;
}

export function Money({ amount, currency }: { amount: string | number | null; currency: string }) {
  const lang = useLang();
  if (amount === null) return <span className="muted">–</span>;
  return <>{formatMoney(lang, amount, currency)}</>;
}

/** A facts list's "Net / VAT / gross" row (an order's, a quote's), the gross in bold. */
export function NetVatGross({ net, tax, gross, currency }: { net: string; tax: string; gross: string; currency: string }) {
  const lang = useLang();
  return (
    <>
      <dt>{lang === "de" ? "Netto / USt. / Brutto" : "Net / VAT / gross"}</dt>
      <dd>
        <Money amount={net} currency={currency} /> / <Money amount={tax} currency={currency} /> /{" "}
        <strong>
          <Money amount={gross} currency={currency} />
        </strong>
      </dd>
    </>
  );
}

export function DateText({ value }: { value: string | Date | null }) {
  const lang = useLang();
  return <>{formatDate(lang, value)}</>;
}

const MILESTONES: Record<string, { en: string; de: string }> = {
  received: { en: "Received", de: "Eingegangen" },
  confirmed: { en: "Confirmed", de: "Bestätigt" },
  in_production: { en: "In production", de: "In Fertigung" },
  ready_to_ship: { en: "Ready to ship", de: "Versandbereit" },
  shipped: { en: "Shipped", de: "Versandt" },
  partially_shipped: { en: "Partially shipped", de: "Teilweise versandt" },
  delivered: { en: "Delivered", de: "Zugestellt" },
  invoiced: { en: "Invoiced", de: "Berechnet" },
  cancelled: { en: "Cancelled", de: "Storniert" },
};

/** An order milestone's kind in words. */
export function milestoneLabel(lang: "en" | "de", kind: string): string {
  return MILESTONES[kind]?.[lang] ?? kind.replace(/_/g, " ");
}

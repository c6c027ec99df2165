import { formatMoney, type Language } from "~/i18n/i18n";
import type { InvoicedMonths } from "~/modules/overview/activity";

/** Month names as the contact reads them ("Dez", "Dec"), from 'YYYY-MM'. */
function monthLabel(lang: Language, month: string): string {
  const [year, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", { month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(year, m - 1, 1)));
}

/**
 * Columns of what was invoiced each month over the last year (credit notes subtracted, gross), the
 * current month last and marked. Amounts are in each column's tooltip and, all of them, in the
 * chart's accessible name; the largest month is labelled on the axis.
 */
export function InvoicedChart({ row, lang }: { row: InvoicedMonths; lang: Language }) {
  const values = row.months.map((m) => Number(m.amount));
  const max = Math.max(1, ...values);
  const min = Math.min(0, ...values);
  // Narrower than the aging chart's: twelve columns stay legible in the overview's side panel.
  const width = 380;
  const height = 140;
  const axis = 18; // month labels below
  const plot = height - axis - 14;
  const zeroY = 14 + (max / (max - min)) * plot;
  const scale = plot / (max - min);
  const step = width / row.months.length;
  const title = lang === "de" ? `Rechnungsbetrag je Monat ${row.currency}` : `Invoiced per month ${row.currency}`;
  const label = (m: InvoicedMonths["months"][number]) => `${monthLabel(lang, m.month)} ${m.month.slice(0, 4)}: ${formatMoney(lang, m.amount, row.currency)} (${m.count})`;
  return (
    <svg role="img" aria-label={`${title}: ${row.months.map(label).join(", ")}`} viewBox={`0 0 ${width} ${height}`} className="invoiced-chart" data-testid={`invoiced-${row.currency}`}>
      <text x={0} y={10} className="invoiced-axis">
        {formatMoney(lang, String(max), row.currency)}
      </text>
      <line x1={0} x2={width} y1={zeroY} y2={zeroY} className="invoiced-zero" />
      {row.months.map((m, index) => {
        const value = Number(m.amount);
        const barHeight = Math.max(value !== 0 ? 1 : 0, Math.abs(value) * scale);
        const x = index * step + step * 0.15;
        const current = index === row.months.length - 1;
        return (
          <g key={m.month}>
            <rect x={x} y={value >= 0 ? zeroY - barHeight : zeroY} width={step * 0.7} height={barHeight} rx={2} className={current ? "invoiced-bar current" : "invoiced-bar"}>
              <title>{label(m)}</title>
            </rect>
            <text x={x + step * 0.35} y={height - 4} textAnchor="middle" className="invoiced-axis">
              {monthLabel(lang, m.month)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

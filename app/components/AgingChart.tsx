import { formatMoney, type Language } from "~/i18n/i18n";

export interface AgingBucket {
  /** "current", "1-30", "31-60", "61-90", "90+" */
  bucket: string;
  amount: string;
  count: number;
}

const LABELS: Record<Language, Record<string, string>> = {
  en: { current: "Not yet due", "1-30": "1–30 days", "31-60": "31–60 days", "61-90": "61–90 days", "90+": "over 90 days" },
  de: { current: "Noch nicht fällig", "1-30": "1–30 Tage", "31-60": "31–60 Tage", "61-90": "61–90 Tage", "90+": "über 90 Tage" },
};

const COLORS: Record<string, string> = { current: "#3b82a0", "1-30": "#d9a520", "31-60": "#e07b24", "61-90": "#d0482c", "90+": "#9b1c1c" };

/** Horizontal bars of what is owed by how long it is overdue; the numbers are in the bars' labels too. */
export function AgingChart({ buckets, currency, lang }: { buckets: AgingBucket[]; currency: string; lang: Language }) {
  const max = Math.max(1, ...buckets.map((b) => Number(b.amount)));
  const rowHeight = 26;
  const labelWidth = 130;
  const width = 520;
  const barSpace = width - labelWidth - 150;
  const title = lang === "de" ? `Fälligkeitsstruktur ${currency}` : `Aging ${currency}`;
  return (
    <svg
      role="img"
      aria-label={`${title}: ${buckets.map((b) => `${LABELS[lang][b.bucket] ?? b.bucket} ${formatMoney(lang, b.amount, currency)}`).join(", ")}`}
      viewBox={`0 0 ${width} ${buckets.length * rowHeight + 4}`}
      className="aging-chart"
      data-testid={`aging-${currency}`}
    >
      {buckets.map((b, index) => {
        const y = index * rowHeight + 2;
        const barWidth = Math.max(Number(b.amount) > 0 ? 2 : 0, (Number(b.amount) / max) * barSpace);
        return (
          <g key={b.bucket}>
            <text x={0} y={y + 17} className="aging-label">
              {LABELS[lang][b.bucket] ?? b.bucket}
            </text>
            <rect x={labelWidth} y={y + 4} width={barWidth} height={rowHeight - 10} rx={2} fill={COLORS[b.bucket] ?? "#888"} />
            <text x={labelWidth + barWidth + 6} y={y + 17} className="aging-value">
              {formatMoney(lang, b.amount, currency)} ({b.count})
            </text>
          </g>
        );
      })}
    </svg>
  );
}

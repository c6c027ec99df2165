import { useEffect, useState } from "react";
import { formatDateTime, type Language } from "~/i18n/i18n";
import type { ReplicaStatus } from "../../electric/replica/replica.client";

/** Live / syncing n % / offline since …: what the local replica is doing, in the top bar. */
export function SyncIndicator({ status, lang }: { status: ReplicaStatus | null; lang: Language }) {
  const [offlineSince, setOfflineSince] = useState<Date | null>(null);
  useEffect(() => {
    const update = () => setOfflineSince((since) => (navigator.onLine ? null : (since ?? new Date())));
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  const { label, tone } = syncLabel(status, offlineSince, lang);
  return (
    <span className={`badge ${tone}`} role="status" aria-live="polite" data-testid="sync-status" data-phase={offlineSince ? "offline" : (status?.phase ?? "opening")}
      data-commits={status?.commits ?? 0}
    >
      {label}
    </span>
  );
}

/**
 * The indicator's text and tone. A replica that already holds every shape and its search index from
 * an earlier visit only catches up after a reload: it says "Updating…", not "Syncing 4 %", which
 * read as if the local data were incomplete.
 */
export function syncLabel(status: ReplicaStatus | null, offlineSince: Date | null, lang: Language): { label: string; tone: string } {
  const de = lang === "de";
  if (offlineSince) return { label: `${de ? "Offline seit" : "Offline since"} ${formatDateTime(lang, offlineSince)}`, tone: "warn" };
  if (!status || status.phase === "opening") return { label: de ? "Lokale Daten werden geöffnet…" : "Opening local data…", tone: "" };
  if (status.phase === "error" || status.phase === "stopped" || status.phase === "wiped") return { label: de ? "Nur online" : "Online only", tone: "warn" };
  if (status.phase === "ready") return { label: status.mode === "interval" ? (de ? "Synchron" : "Synced") : "Live", tone: "ok" };
  if (status.phase === "indexing") return { label: de ? "Suche wird aufgebaut…" : "Building search…", tone: "" };
  const resuming = status.searchReady && status.shapes.length > 0 && status.shapes.every((s) => s.hasData);
  if (resuming) return { label: de ? "Aktualisiere…" : "Updating…", tone: "" };
  return { label: `${de ? "Synchronisiere" : "Syncing"} ${status.progress} %`, tone: "" };
}

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
  const de = lang === "de";
  let label: string;
  let tone: string;
  if (offlineSince) {
    label = `${de ? "Offline seit" : "Offline since"} ${formatDateTime(lang, offlineSince)}`;
    tone = "warn";
  } else if (!status || status.phase === "opening") {
    label = de ? "Lokale Daten werden geöffnet…" : "Opening local data…";
    tone = "";
  } else if (status.phase === "error" || status.phase === "stopped" || status.phase === "wiped") {
    label = de ? "Nur online" : "Online only";
    tone = "warn";
  } else if (status.phase === "ready") {
    label = status.mode === "interval" ? (de ? "Synchron" : "Synced") : "Live";
    tone = "ok";
  } else if (status.phase === "indexing") {
    label = de ? "Suche wird aufgebaut…" : "Building search…";
    tone = "";
  } else {
    label = `${de ? "Synchronisiere" : "Syncing"} ${status.progress} %`;
    tone = "";
  }
  return (
    <span className={`badge ${tone}`} role="status" aria-live="polite" data-testid="sync-status" data-phase={offlineSince ? "offline" : (status?.phase ?? "opening")}
      data-commits={status?.commits ?? 0}
    >
      {label}
    </span>
  );
}

import { useEffect, useState } from "react";
import type { Language } from "~/i18n/i18n";

const KEYS: { keys: string; en: string; de: string }[] = [
  { keys: "Ctrl K  /  /", en: "Search every document", de: "Alle Dokumente durchsuchen" },
  { keys: "g o · g r · g s · g i", en: "Overview · Orders · Shipments · Invoices", de: "Übersicht · Aufträge · Lieferungen · Rechnungen" },
  { keys: "g d · g q · g e · g u · g a · g t", en: "Documents · Quotes · Returns · Support · Statement · Team", de: "Dokumente · Angebote · Retouren · Support · Kontoauszug · Team" },
  { keys: "j / k  ↓ / ↑", en: "Next / previous row", de: "Nächste / vorige Zeile" },
  { keys: "Enter", en: "Open the row", de: "Zeile öffnen" },
  { keys: "x  Space", en: "Select the row", de: "Zeile auswählen" },
  { keys: "n", en: "New return request / new ticket (Returns, Support)", de: "Neue Retoure / neues Ticket (Retouren, Support)" },
  { keys: "Ctrl Enter", en: "Send the form you are typing in", de: "Formular absenden, in dem Sie schreiben" },
  { keys: "Esc", en: "Clear selection, close dialogs", de: "Auswahl aufheben, Dialoge schließen" },
  { keys: "?", en: "This help", de: "Diese Hilfe" },
];

/** "?" shows the keyboard shortcuts. */
export function KeyboardHelp({ lang }: { lang: Language }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      if (event.key === "?") setOpen((o) => !o);
      else if (event.key === "Escape") setOpen(false);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  if (!open) return null;
  return (
    <div className="palette-backdrop" onMouseDown={() => setOpen(false)} role="presentation">
      <div className="palette keyboard-help" role="dialog" aria-modal="true" aria-label={lang === "de" ? "Tastenkürzel" : "Keyboard shortcuts"}>
        <h2 style={{ padding: "10px 14px", margin: 0 }}>{lang === "de" ? "Tastenkürzel" : "Keyboard shortcuts"}</h2>
        <table className="grid">
          <tbody>
            {KEYS.map((k) => (
              <tr key={k.keys}>
                <td>
                  <kbd>{k.keys}</kbd>
                </td>
                <td>{k[lang]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

import { useState } from "react";
import { useReadOnlyNote } from "~/components/form";
import type { Language } from "~/i18n/i18n";
import type { ThemePreference } from "~/modules/preferences/schemas";

const NEXT: Record<ThemePreference, ThemePreference> = { system: "light", light: "dark", dark: "system" };
const LABEL: Record<Language, Record<ThemePreference, string>> = {
  en: { system: "Theme: system", light: "Theme: light", dark: "Theme: dark" },
  de: { system: "Design: System", light: "Design: hell", dark: "Design: dunkel" },
};

/** Cycles system → light → dark; applied at once, kept in the contact's preferences. */
export function ThemeToggle({ initial, lang }: { initial: ThemePreference; lang: Language }) {
  const [theme, setTheme] = useState<ThemePreference>(initial);
  // Staff viewing as the contact (decision 038): the theme changes in this page, the contact's stays theirs.
  const readOnly = useReadOnlyNote() !== null;
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={() => {
        const next = NEXT[theme];
        setTheme(next);
        if (next === "system") document.documentElement.removeAttribute("data-theme");
        else document.documentElement.setAttribute("data-theme", next);
        if (readOnly) return;
        void fetch("/preferences", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ kind: "theme", key: "theme", value: next }),
        });
      }}
    >
      {LABEL[lang][theme]}
    </button>
  );
}

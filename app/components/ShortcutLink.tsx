import { Link, useNavigate } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";

/**
 * A link with a one-key shortcut ("n": new return request, new ticket), ignored while typing, with
 * a modifier, or as the second key of the shell's "g" jumps.
 */
export function ShortcutLink({ to, hotkey, className, children }: { to: string; hotkey: string; className?: string; children: ReactNode }) {
  const navigate = useNavigate();
  const target = useRef(to);
  target.current = to;
  useEffect(() => {
    let afterG = false;
    function onKey(event: KeyboardEvent) {
      const element = event.target as HTMLElement | null;
      if (element && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName))) return;
      if (event.metaKey || event.ctrlKey || event.altKey || event.defaultPrevented) return;
      const wasG = afterG;
      afterG = event.key === "g";
      if (event.key === hotkey && !wasG && !document.querySelector("[role=dialog]")) {
        event.preventDefault();
        navigate(target.current);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [hotkey, navigate]);
  return (
    <Link to={to} className={className} aria-keyshortcuts={hotkey}>
      {children} <kbd aria-hidden="true">{hotkey}</kbd>
    </Link>
  );
}

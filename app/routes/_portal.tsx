import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  Form, NavLink, Outlet, useLoaderData, useNavigate, useRevalidator, useRouteError, useRouteLoaderData, useSubmit, type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { CommandPalette } from "~/components/CommandPalette";
import { ErrorMessage } from "~/components/ErrorMessage";
import { KeyboardHelp } from "~/components/KeyboardHelp";
import { ThemeToggle } from "~/components/ThemeToggle";
import { SyncIndicator } from "~/components/SyncIndicator";
import { activateReplica, deactivateReplica, registerServiceWorker, setReplicaAccess, warmOfflinePages, wipeReplicas } from "~/replica/active-replica.client";
import type { ReplicaStatus } from "../../electric/replica/replica.client";
import { codeLabel, translate, type MessageKey } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { contactCan } from "~/modules/access/permissions";
import { useRootData } from "~/root";
import { routeAccess } from "~/modules/access/route-access";
import { activitySince } from "~/modules/overview/overview.server";
import { markReplicaRevalidation } from "~/replica/replica-revalidation";
import { ViewAsBanner } from "~/components/ViewAsBanner";
import { WriteForm } from "~/components/form";

export const handle = routeAccess({ area: "portal" });

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, scope, memberships } = await requireContact(request);
  const active = memberships.find((m) => m.accountId === scope.accountId);
  return {
    user: { id: user.id, name: user.name, email: user.email, language: user.language },
    role: scope.role,
    canManageTeam: contactCan(scope.role, "contacts.manage"),
    canSeeInvoices: contactCan(scope.role, "invoices.read"),
    canSeeStatements: contactCan(scope.role, "statements.read"),
    activitySince: (({ since, firstVisit }) => ({ since: since.toISOString(), firstVisit }))(activitySince(user.previousLoginAt)),
    activeAccountId: scope.accountId,
    activeAccountName: active?.accountName ?? "",
    memberships: memberships.map((m) => ({ accountId: m.accountId, label: `${m.accountName} (${m.accountNumber})` })),
  };
}

export const NAV: { to: string; key: MessageKey; hotkey: string }[] = [
  { to: "/overview", key: "nav.overview", hotkey: "o" },
  { to: "/orders", key: "nav.orders", hotkey: "r" },
  { to: "/shipments", key: "nav.shipments", hotkey: "s" },
  { to: "/invoices", key: "nav.invoices", hotkey: "i" },
  { to: "/documents", key: "nav.documents", hotkey: "d" },
  { to: "/quotes", key: "nav.quotes", hotkey: "q" },
  { to: "/returns", key: "nav.returns", hotkey: "e" },
  { to: "/support", key: "nav.support", hotkey: "u" },
  { to: "/statements", key: "nav.statements", hotkey: "a" },
];
const TEAM_HOTKEY = { to: "/team", key: "nav.team", hotkey: "t" } as const;

// The shell's data (who, which accounts) changes through a form post (account switch, team,
// profile), not by going to another page, nor when the replica applies new rows and the pages below
// re-read it: navigating between portal pages that read the replica asks the server for nothing.
// (Losing access still shows: the gateway refuses the replica's next sync and the replica wipes.)
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod !== undefined ? defaultShouldRevalidate : false;

export default function PortalShell() {
  return (
    <Shell data={useLoaderData<typeof loader>()}>
      <Outlet />
    </Shell>
  );
}

/**
 * A page's error shows inside the shell, navigation and search at hand: a record that is not there,
 * or is another account's, answers 404 exactly alike (DESIGN rule 1), and the contact goes on from
 * there. Without the shell's own data (its loader failed) the plain page of the root boundary.
 */
export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("routes/_portal");
  const error = useRouteError();
  const lang = useRootData()?.language ?? "en";
  if (!data)
    return (
      <>
        <ViewAsBanner />
        <ErrorMessage error={error} language={lang} backTo="/" />
      </>
    );
  return (
    <Shell data={data}>
      <ErrorMessage error={error} language={lang} backTo="/overview" />
    </Shell>
  );
}

type ShellData = Awaited<ReturnType<typeof loader>>;

function Shell({ data, children }: { data: ShellData; children: React.ReactNode }) {
  const lang = useRootData()?.language ?? "en";
  const submit = useSubmit();
  // Sections the role may open: the sidebar and the "g" shortcuts offer only these.
  const mayOpen = (item: { to: string }) =>
    (item.to !== "/invoices" || data.canSeeInvoices) && (item.to !== "/statements" || data.canSeeStatements) && (item.to !== "/team" || data.canManageTeam);
  useGoToShortcuts(mayOpen);
  const status = useReplica(data.user.id, data.activeAccountId, data.canSeeInvoices, data.activitySince);
  return (
    <div className="shell">
      <aside className="sidebar" aria-label="Main">
        <div className="brand">
          {useRootData()?.supplierName}
          <small>{data.activeAccountName}</small>
        </div>
        <nav>
          {NAV.filter(mayOpen).map((item) => (
            <NavLink key={item.to} to={item.to} prefetch="intent">
              {translate(lang, item.key)}
              <kbd aria-hidden="true">g {item.hotkey}</kbd>
            </NavLink>
          ))}
          {data.canManageTeam ? (
            <NavLink to="/team" prefetch="intent">
              {translate(lang, "nav.team")}
              <kbd aria-hidden="true">g t</kbd>
            </NavLink>
          ) : null}
        </nav>
        <div className="foot">
          <div>{data.user.name}</div>
          <div className="who">
            {data.user.email} · {codeLabel(lang, "role", data.role)}
          </div>
          <NavLink to="/settings" prefetch="intent" className="settings-link">
            {translate(lang, "settings.title")}
          </NavLink>
          {/* eslint-disable-next-line no-restricted-syntax -- signing out also ends a view-as: it stays usable */}
          <Form
            method="post"
            action="/logout"
            style={{ marginTop: 6 }}
            onSubmit={(event) => {
              // Delete the local copy first: the next person at this browser must not find it.
              event.preventDefault();
              const form = event.currentTarget;
              void wipeReplicas().finally(() => submit(form));
            }}
          >
            <button type="submit">{translate(lang, "nav.signOut")}</button>
          </Form>
        </div>
      </aside>
      <div>
        <ViewAsBanner />
        <header className="topbar">
          <strong>{data.activeAccountName}</strong>
          <button type="button" className="search-button" onClick={() => window.dispatchEvent(new KeyboardEvent("keydown", { key: "k", ctrlKey: true }))}>
            {lang === "de" ? "Suchen…" : "Search…"} <kbd>Ctrl K</kbd>
          </button>
          <span className="spacer" />
          <SyncIndicator status={status} lang={lang} />
          <ThemeToggle initial={useRootData()?.theme ?? "system"} lang={lang} />
          {data.memberships.length > 1 ? (
            <WriteForm
              note="title"
              action="/account/switch"
              className="account-switch"
              onChange={(event) => {
                // The next pages' clientLoaders run before the shell opens the other account's replica.
                deactivateReplica();
                submit(event.currentTarget);
              }}
            >
              <label htmlFor="account-switcher" className="sr-only">
                {translate(lang, "nav.switchAccount")}
              </label>
              <select id="account-switcher" name="accountId" defaultValue={data.activeAccountId} key={data.activeAccountId}>
                {data.memberships.map((m) => (
                  <option key={m.accountId} value={m.accountId}>
                    {m.label}
                  </option>
                ))}
              </select>
              <noscript>
                <button type="submit">{translate(lang, "nav.switchAccount")}</button>
              </noscript>
            </WriteForm>
          ) : null}
        </header>
        <main>{children}</main>
        <CommandPalette lang={lang} />
        <KeyboardHelp lang={lang} />
      </div>
    </div>
  );
}

/**
 * Opens the contact's local replica for the active account and re-reads the page's data (its
 * clientLoader) whenever the replica applied new rows, so changes appear without a reload.
 */
function useReplica(
  userId: string,
  accountId: string,
  canSeeInvoices: boolean,
  activityFrom: { since: string; firstVisit: boolean },
): ReplicaStatus | null {
  const [status, setStatus] = useState<ReplicaStatus | null>(null);
  const revalidator = useRevalidator();
  useEffect(() => {
    void registerServiceWorker();
  }, []);
  const settled = status !== null && (status.role === "closed" || status.phase === "ready" || status.phase === "error");
  useEffect(() => {
    if (settled) void warmOfflinePages();
  }, [settled]);
  const { since, firstVisit } = activityFrom;
  useEffect(
    () => setReplicaAccess({ invoices: canSeeInvoices, activitySince: { since, firstVisit } }),
    [userId, accountId, canSeeInvoices, since, firstVisit],
  );
  useEffect(() => {
    const replica = activateReplica(userId, accountId);
    let lastCommits: number | null = null;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = replica.onStatus((next) => {
      setStatus(next);
      // Only live changes after the first full sync: the initial load commits shape by shape.
      if (lastCommits !== null && next.commits > lastCommits && next.phase === "ready") {
        // One frame gathers the commits of one transaction's shapes (e.g. an invoice and its payment).
        clearTimeout(pending);
        pending = setTimeout(() => {
          markReplicaRevalidation();
          revalidator.revalidate();
        }, 16);
      }
      lastCommits = next.commits;
    });
    return () => {
      clearTimeout(pending);
      unsubscribe();
    };
    // revalidator is a new object each render; its revalidate() is stable enough for this use.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId, accountId]);
  return status;
}

/** "g" then a letter jumps to a section, like in mail and issue trackers. */
function useGoToShortcuts(mayOpen: (item: { to: string }) => boolean) {
  const navigate = useNavigate();
  // The latest rule without re-registering the listener on every render.
  const allowed = useRef(mayOpen);
  allowed.current = mayOpen;
  useEffect(() => {
    let pendingG = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (pendingG) {
        pendingG = false;
        const item = [...NAV, TEAM_HOTKEY].filter((n) => allowed.current(n)).find((n) => n.hotkey === event.key);
        if (item) navigate(item.to);
        return;
      }
      if (event.key === "g") {
        pendingG = true;
        clearTimeout(timer);
        timer = setTimeout(() => (pendingG = false), 1200);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);
}

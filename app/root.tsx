import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { getDb } from "~/db/connection.server";
import { currentUser } from "~/modules/access/guards.server";
import { VIEW_AS_MINUTES } from "~/modules/auth/session.server";
import { getPreferences } from "~/modules/preferences/preferences.server";
import { getSupplierSettings, supplierDisplayName } from "~/modules/supplier/supplier.server";
import { ErrorMessage } from "~/components/ErrorMessage";
import { useCtrlEnterSubmit } from "~/components/form";
import type { Language } from "~/i18n/i18n";
import { takeReplicaRevalidation } from "~/replica/replica-revalidation";
import styles from "~/styles/app.css";

// An icon of our own: without one the browser asks for /favicon.ico on every first visit (a 404 in the console).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const [supplier, user] = await Promise.all([getSupplierSettings(db), currentUser(request)]);
  const language: Language = user?.language ?? supplier.defaultLanguage;
  const preferences = user ? await getPreferences(user.id) : {};
  // Staff viewing as a contact (decision 035): here, so the banner shows on every page, error pages too.
  const viewAs = user?.viewAs
    ? { name: user.name, email: user.email, accountName: user.viewAs.accountName, endsAt: new Date(user.viewAs.startedAt.getTime() + VIEW_AS_MINUTES * 60_000).toISOString() }
    : null;
  return { language, supplierName: supplierDisplayName(supplier), brandColor: supplier.brandColor, theme: preferences.theme ?? "system", preferences, viewAs };
}

/**
 * Language, branding and theme change through form posts (sign-in, account switch) or an explicit
 * revalidate(), never by going to another page. Single fetch would otherwise re-run this loader on
 * every navigation, and the portal pages, which read the local replica, would still ask the server.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, currentUrl, nextUrl, defaultShouldRevalidate }) => {
  if (formMethod !== undefined) return defaultShouldRevalidate;
  // New replica rows change nothing here (app/replica/replica-revalidation.ts).
  if (takeReplicaRevalidation()) return false;
  return currentUrl.href === nextUrl.href ? defaultShouldRevalidate : false;
};

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  return (
    <html lang={data?.language ?? "en"} data-theme={data?.theme === "system" ? undefined : data?.theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {data?.brandColor ? <style>{`:root{--brand:${safeColor(data.brandColor)}}`}</style> : null}
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

function safeColor(color: string): string {
  return /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : "#1f4e79";
}

export default function App() {
  useCtrlEnterSubmit();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const language = useRootData()?.language ?? "en";
  return <ErrorMessage error={error} language={language} backTo="/" />;
}

import { isRouteErrorResponse } from "@remix-run/react";
import { translate, type Language } from "~/i18n/i18n";

/**
 * What an error boundary says: "not found" for a 404 (a record of another account answers exactly
 * like a missing one), the status for other responses, and no internals for thrown errors.
 */
export function ErrorMessage({ error, language, backTo }: { error: unknown; language: Language; backTo: string }) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title =
    status === 404 ? translate(language, "common.notFound") : isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
  const text =
    status === 404
      ? translate(language, "common.notFoundText")
      : isRouteErrorResponse(error) && typeof error.data === "string"
        ? error.data
        : "The error was logged. Try again, or contact your supplier if it persists.";
  return (
    <div className="error-page" data-testid="error-page" data-status={status}>
      <h1>{title}</h1>
      <p className="muted">{text}</p>
      <p>
        <a href={backTo}>{translate(language, "common.back")}</a>
      </p>
    </div>
  );
}

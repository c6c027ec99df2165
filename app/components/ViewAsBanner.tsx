import { Form, useSubmit } from "@remix-run/react";
import { wipeReplicas } from "~/replica/active-replica.client";
import { useRootData } from "~/root";

/**
 * Staff viewing the portal as a contact see it on every portal page, error pages too: who, which
 * account, read-only, and "Exit", which deletes this browser's replica of the view first (as signing
 * out does) and returns to the account's admin page (decision 035). Renders nothing otherwise.
 */
export function ViewAsBanner() {
  const viewAs = useRootData()?.viewAs;
  const submit = useSubmit();
  if (!viewAs) return null;
  return (
    <div className="view-as-banner" role="region" aria-label="Viewing as a contact" data-testid="view-as-banner">
      <span>
        Viewing as <strong>{viewAs.name}</strong> ({viewAs.email}), {viewAs.accountName} — read-only
        <span className="muted"> · ends by itself at {viewAs.endsAt.slice(11, 16)} UTC</span>
      </span>
      {/* eslint-disable-next-line no-restricted-syntax -- Exit ends the read-only view: never disabled */}
      <Form
        method="post"
        action="/view-as/exit"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          void wipeReplicas().finally(() => submit(form));
        }}
      >
        <button type="submit" className="primary">
          Exit
        </button>
      </Form>
    </div>
  );
}

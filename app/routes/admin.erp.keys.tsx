import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { formatDateTime } from "~/i18n/i18n";
import { getDb } from "~/db/connection.server";
import { routeAccess } from "~/modules/access/route-access";
import { createApiKey, listApiKeys, revokeApiKey } from "~/modules/erp/api/keys.server";
import { ENTITY_NAMES } from "~/modules/erp/entities/registry";
import { parseForm } from "~/modules/forms";
import { describeFieldErrors, requireErpAdmin } from "~/modules/erp/ui/admin.server";

export const handle = routeAccess({ area: "admin", permission: "erp.manage" });

export const meta: MetaFunction = () => [{ title: "API keys · ERP · Admin · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireErpAdmin(request);
  return { keys: await listApiKeys(await getDb()), entities: ENTITY_NAMES };
}

const KeySchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: z.string({ error: "is required" }).trim().min(1, "is required").max(100, "is too long"),
    scope: z
      .union([z.string(), z.array(z.string())], { error: "must name what the key may write" })
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .pipe(z.array(z.enum(["erp:write", ...ENTITY_NAMES.map((e) => `erp:write:${e}`)] as [string, ...string[]], { error: "is not a known scope" })).min(1, "must name what the key may write")),
    rateLimitPerMinute: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(1_000_000, "is too high").default(1200),
  }),
  z.object({ intent: z.literal("revoke"), keyId: z.uuid({ error: "is not a key" }) }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const { actor } = await requireErpAdmin(request, context);
  const parsed = parseForm(KeySchema, await request.formData());
  if (!parsed.ok) return data({ message: describeFieldErrors(parsed.fieldErrors), created: null }, { status: 400 });
  const db = await getDb();
  if (parsed.data.intent === "create") {
    const scopes = parsed.data.scope.includes("erp:write") ? ["erp:write"] : parsed.data.scope;
    const created = await createApiKey(db, actor, { name: parsed.data.name, scopes, rateLimitPerMinute: parsed.data.rateLimitPerMinute });
    return data({ message: null, created: { name: parsed.data.name, key: created.key } });
  }
  const revoked = await revokeApiKey(db, actor, parsed.data.keyId);
  return data({ message: revoked ? "The key was revoked: requests with it now get 401." : "That key was already revoked.", created: null });
}

export default function ApiKeys() {
  const { keys, entities } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>API keys</h1>
      <p className="muted">
        Keys for the ERP push API (<a href="/api/erp/v1/openapi.json">OpenAPI document</a>). The key is shown once; only its hash is kept.
      </p>
      <FormError message={result?.message && !result.created ? result.message : null} />
      {result?.created ? (
        <div className="notice" role="status" data-testid="new-api-key">
          <p>
            <strong>{result.created.name}</strong>: copy the key now, it is not shown again.
          </p>
          <pre style={{ userSelect: "all", whiteSpace: "pre-wrap" }}>{result.created.key}</pre>
        </div>
      ) : null}
      <div className="panel">
        <h2>New key</h2>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="create" />
          <div className="field">
            <label htmlFor="key-name">Name</label>
            <input id="key-name" name="name" required maxLength={100} placeholder="ERP production" />
          </div>
          <div className="field">
            <label htmlFor="key-scope">May write</label>
            <select id="key-scope" name="scope" multiple size={6} defaultValue={["erp:write"]}>
              <option value="erp:write">every entity</option>
              {entities.map((e) => (
                <option key={e} value={`erp:write:${e}`}>
                  {e}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="key-rate">Requests per minute</label>
            <input id="key-rate" name="rateLimitPerMinute" type="number" min={1} defaultValue={1200} />
          </div>
          <button type="submit" className="primary">
            Create key
          </button>
        </Form>
      </div>
      <div className="panel">
        <table className="grid" data-testid="api-keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Scopes</th>
              <th className="num">Per minute</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.keyPrefix}…</code>
                </td>
                <td>{k.scopes.join(", ")}</td>
                <td className="num">{k.rateLimitPerMinute}</td>
                <td>
                  {formatDateTime("en", k.createdAt)}
                  {k.createdBy ? <div className="muted">{k.createdBy}</div> : null}
                </td>
                <td>{k.lastUsedAt ? formatDateTime("en", k.lastUsedAt) : <span className="muted">never</span>}</td>
                <td>{k.revokedAt ? `revoked ${formatDateTime("en", k.revokedAt)}` : "active"}</td>
                <td>
                  {k.revokedAt ? null : (
                    <Form method="post" style={{ margin: 0 }}>
                      <input type="hidden" name="keyId" value={k.id} />
                      <button type="submit" name="intent" value="revoke" className="danger">
                        Revoke
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {keys.length === 0 ? <p className="muted" style={{ padding: 10 }}>No API keys yet.</p> : null}
      </div>
    </>
  );
}

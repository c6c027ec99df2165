import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { formatDateTime } from "~/i18n/i18n";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { CONTACT_ROLES } from "~/modules/access/permissions";
import { searchAccounts } from "~/modules/admin/accounts.server";
import { approveSignupRequest, listSignupRequests, rejectSignupRequest } from "~/modules/auth/signup.server";
import { parseForm } from "~/modules/forms";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "admin", permission: "signups.decide", actionPermission: "signups.decide" });

export const meta: MetaFunction = () => [{ title: "Access requests · Admin · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "signups.decide");
  const [requests, accounts] = await Promise.all([listSignupRequests(), searchAccounts(undefined, 1000)]);
  return { requests, accounts: accounts.map((a) => ({ id: a.id, label: `${a.number} ${a.name}` })) };
}

const DecisionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("approve"),
    requestId: z.uuid({ error: "is not a request id" }),
    accountId: z.uuid({ error: "must be chosen" }),
    role: z.enum(CONTACT_ROLES, { error: `must be one of ${CONTACT_ROLES.join(", ")}` }),
  }),
  z.object({
    intent: z.literal("reject"),
    requestId: z.uuid({ error: "is not a request id" }),
    note: z.string().trim().max(500, "is too long").default(""),
  }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = await requireStaff(request, "signups.decide");
  const parsed = parseForm(DecisionSchema, await request.formData());
  if (!parsed.ok) {
    const reason = Object.entries(parsed.fieldErrors).map(([field, message]) => `${field} ${message}`).join("; ");
    return data({ message: reason }, { status: 400 });
  }
  const actor = { userId: user.id, name: user.name, ip: context.clientIp, userAgent: request.headers.get("user-agent") };
  const decision = parsed.data;
  const done =
    decision.intent === "approve"
      ? await approveSignupRequest(actor, decision.requestId, decision.accountId, decision.role)
      : await rejectSignupRequest(actor, decision.requestId, decision.note);
  if (!done) notFound();
  return data({ message: null });
}

export default function SignupRequests() {
  const { requests, accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Access requests</h1>
      <FormError message={result?.message} />
      <div className="panel">
        <table className="grid">
          <thead>
            <tr>
              <th>Received</th>
              <th>Name</th>
              <th>Email</th>
              <th>Company</th>
              <th>VAT id / customer no.</th>
              <th>Status</th>
              <th>Decision</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime("en", r.createdAt)}</td>
                <td>{r.name}</td>
                <td>{r.email}</td>
                <td>{r.companyName}</td>
                <td>
                  {r.vatId} {r.customerNumber}
                </td>
                <td>{r.status}</td>
                <td>
                  {r.status === "pending" ? (
                    <Form method="post" className="toolbar" style={{ margin: 0 }}>
                      <input type="hidden" name="requestId" value={r.id} />
                      <select name="accountId" aria-label="Account" defaultValue="">
                        <option value="">Account…</option>
                        {accounts.map((a) => (
                          <option key={a.id} value={a.id}>
                            {a.label}
                          </option>
                        ))}
                      </select>
                      <select name="role" aria-label="Role" defaultValue="viewer">
                        {CONTACT_ROLES.map((role) => (
                          <option key={role}>{role}</option>
                        ))}
                      </select>
                      <button type="submit" name="intent" value="approve" className="primary">
                        Approve and invite
                      </button>
                      <button type="submit" name="intent" value="reject" className="danger">
                        Reject
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {requests.length === 0 ? <p className="muted" style={{ padding: 10 }}>No access requests.</p> : null}
      </div>
    </>
  );
}

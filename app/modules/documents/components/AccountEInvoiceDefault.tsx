import { EINVOICE_FORMATS, FORMAT_INFO } from "~/modules/einvoice/model";

/** Staff form on the account page: the e-invoice format contacts of this account get by default. */
export function AccountEInvoiceDefault({ accountId, current }: { accountId: string; current: string | null }) {
  return (
    <section className="panel">
      <h2>E-invoice default</h2>
      {/* eslint-disable-next-line no-restricted-syntax -- an admin page: staff never reach it while viewing as */}
      <form method="post" action={`/admin/accounts/${accountId}/einvoice-format`} className="toolbar">
        <label htmlFor="einvoice-default">Default format</label>
        <select id="einvoice-default" name="format" defaultValue={current ?? ""}>
          <option value="">None (XRechnung for buyers with a Leitweg-ID, else ZUGFeRD)</option>
          {EINVOICE_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_INFO[f].label.en}
            </option>
          ))}
        </select>
        <button type="submit">Save</button>
      </form>
    </section>
  );
}

/**
 * The carrier and its service as one label. ERPs usually name the service with the carrier in
 * front ("DHL" + "DHL Paket"); printing both read "DHL DHL Paket". A service that already starts
 * with the carrier's name ("DB SCHENKERsystem") or its initials as a word ("KN Sea Freight" for
 * Kuehne+Nagel) stands alone.
 */
export function describeCarrier(carrier: string | null | undefined, service: string | null | undefined): string {
  const c = carrier?.trim() ?? "";
  const s = service?.trim() ?? "";
  if (!c || !s) return c || s;
  const lower = s.toLocaleLowerCase();
  const initials = c
    .split(/[\s+&-]+/)
    .filter(Boolean)
    .map((word) => word[0])
    .join("")
    .toLocaleLowerCase();
  const namesCarrier = lower.startsWith(c.toLocaleLowerCase());
  const namesInitials = initials.length > 1 && (lower === initials || lower.startsWith(`${initials} `));
  if (namesCarrier || namesInitials) return s;
  return `${c} · ${s}`;
}

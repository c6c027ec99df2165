import type { Rng } from "../random";
import type { GeneratorContext } from "./context";
import type { Lang, User } from "./domain";
import type { Row } from "./tables";

/**
 * One users row, shared by staff and contacts so both get the same uniqueness check and the same
 * password hash (invited users have none until they accept).
 */
export function addUser(
  ctx: GeneratorContext,
  rng: Rng,
  u: {
    email: string;
    name: string;
    kind: "contact" | "staff";
    staffRole?: string;
    language: Lang;
    status: "invited" | "active" | "disabled";
    jobTitle?: string | null;
    phone?: string | null;
    erpId: string | null;
    lastLoginDay?: number | null;
  },
): User {
  if (ctx.emails.has(u.email)) throw new Error(`duplicate demo email ${u.email}`);
  ctx.emails.add(u.email);
  const id = rng.uuid();
  const row: Row = {
    id,
    email: u.email,
    name: u.name,
    kind: u.kind,
    staff_role: u.staffRole ?? null,
    password_hash: u.status === "invited" ? null : ctx.passwordHash,
    language: u.language,
    status: u.status,
    phone: u.phone ?? null,
    job_title: u.jobTitle ?? null,
    erp_id: u.erpId,
    erp_version: u.erpId ? 1 : 0,
    last_login_at: u.lastLoginDay != null ? ctx.cal.at(u.lastLoginDay, rng.int(7 * 60, 17 * 60)) : null,
  };
  ctx.tables.users.push(row);
  const user: User = { id, email: u.email, name: u.name, language: u.language, status: u.status, row };
  ctx.users.set(u.email, user);
  return user;
}

import { Rng } from "../random";
import type { GeneratorContext } from "./context";
import type { Acc, Lang, Loc, Role, User } from "./domain";
import { sha256, slug } from "./text";
import { addUser } from "./users";

/**
 * Customer contacts and their memberships: the scripted Kessler and Nordhavn logins from the README,
 * then random contacts for every other account.
 */

const JOB_TITLES: Record<Lang, Record<Role, string[]>> = {
  de: {
    admin: ["Geschäftsführer", "Leitung Einkauf", "Kaufmännische Leitung"],
    buyer: ["Einkauf", "Technischer Einkauf", "Projektleitung"],
    finance: ["Buchhaltung", "Kreditorenbuchhaltung", "Controlling"],
    viewer: ["Lagerleitung", "Instandhaltung", "Serviceleitung"],
  },
  en: {
    admin: ["Managing Director", "Head of Procurement", "Operations Manager"],
    buyer: ["Buyer", "Purchasing Manager", "Project Engineer"],
    finance: ["Accounts Payable", "Finance Manager", "Controller"],
    viewer: ["Warehouse Manager", "Maintenance Lead", "Service Engineer"],
  },
};

function addMembership(ctx: GeneratorContext, acc: Acc, user: User, role: Role, includeSubsidiaries: boolean, locations: Loc[] = []) {
  const id = acc.rng.uuid();
  ctx.tables.memberships.push({ id, user_id: user.id, account_id: acc.id, role, include_subsidiaries: includeSubsidiaries });
  for (const loc of locations) ctx.tables.membership_locations.push({ membership_id: id, location_id: loc.id });
  acc.members.push({ user, acc, role });
}

export function addKesslerContacts(ctx: GeneratorContext) {
  const kessler = ctx.byKey.get("kessler")!;
  const lumiere = ctx.byKey.get("lumiere")!;
  const rng = new Rng("kessler-contacts");
  const lnu = kessler.locations.find((l) => l.code === "LNU")!;
  const contact = (email: string, name: string, title: string, status: User["status"] = "active", erp: string | null = null) =>
    addUser(ctx, rng, { email, name, kind: "contact", language: "de", status, jobTitle: title, phone: `+49 731 9402-${rng.int(10, 99)}`, erpId: erp });
  const admin = contact("admin@kessler.example", "Thomas Kessler", "Geschäftsführer", "active", "AP-100011");
  const buyer = contact("buyer@kessler.example", "Sandra Vogt", "Einkauf", "active", "AP-100012");
  const finance = contact("finance@kessler.example", "Markus Brenner", "Buchhaltung", "active", "AP-100013");
  const viewer = contact("viewer@kessler.example", "Lena Hofmann", "Lagerleitung Neu-Ulm", "active", "AP-100014");
  const group = contact("group@kessler.example", "Daniel Roth", "Konzerneinkauf", "active", "AP-100015");
  const invited = contact("m.weber@kessler.example", "Michael Weber", "Projektleitung", "invited");
  const disabled = contact("j.huber@kessler.example", "Jonas Huber", "Einkauf (ausgeschieden)", "disabled");
  addMembership(ctx, kessler, admin, "admin", true);
  addMembership(ctx, kessler, buyer, "buyer", false);
  addMembership(ctx, kessler, finance, "finance", true);
  addMembership(ctx, kessler, viewer, "viewer", false, [lnu]);
  addMembership(ctx, kessler, group, "buyer", false);
  addMembership(ctx, lumiere, group, "finance", false);
  addMembership(ctx, kessler, invited, "buyer", false);
  addMembership(ctx, kessler, disabled, "buyer", false);
  ctx.tables.invitations.push({
    id: rng.uuid(),
    token_hash: sha256(`demo-invitation:${invited.email}`),
    user_id: invited.id,
    account_id: kessler.id,
    invited_by: admin.id,
    expires_at: ctx.cal.at(7, 12 * 60),
    accepted_at: null,
    revoked_at: null,
  });
}

export function addNordhavnContacts(ctx: GeneratorContext) {
  const nordhavn = ctx.byKey.get("nordhavn")!;
  const rng = new Rng("nordhavn-contacts");
  const buyer = addUser(ctx, rng, {
    email: "buyer@nordhavn.example",
    name: "Mette Sørensen",
    kind: "contact",
    language: "en",
    status: "active",
    jobTitle: "Purchasing Manager",
    phone: "+45 75 12 34 56",
    erpId: "AP-100041",
  });
  addMembership(ctx, nordhavn, buyer, "buyer", false);
}

export function addRandomContacts(ctx: GeneratorContext, acc: Acc) {
  const spec = acc.spec;
  const { rng, faker, country } = acc;
  const count = rng.int(spec.contacts[0], spec.contacts[1]);
  const hasSubs = ctx.accounts.some((a) => a.parent === acc);
  for (let i = 0; i < count; i++) {
    const role: Role = i === 0 && acc.members.every((m) => m.role !== "admin")
      ? "admin"
      : rng.weighted([["buyer", 4], ["finance", 2.5], ["viewer", 2], ["admin", 1]] as const);
    const sex = rng.pick(["female", "male"] as const);
    const first = faker.person.firstName(sex);
    const last = faker.person.lastName(sex);
    let email = `${slug(first).replace(/-/g, "")}.${slug(last).replace(/-/g, "")}@${acc.domain}`;
    while (ctx.emails.has(email)) email = email.replace("@", String(rng.int(1, 9)) + "@");
    const status: User["status"] = rng.chance(0.04) ? "disabled" : "active";
    const user = addUser(ctx, rng, {
      email,
      name: `${first} ${last}`,
      kind: "contact",
      language: acc.lang,
      status,
      jobTitle: rng.pick(JOB_TITLES[acc.lang][role]),
      phone: `${country.phone} ${rng.digits(3)} ${rng.digits(6)}`,
      erpId: `AP-${acc.number}${String(i + 1).padStart(2, "0")}`,
      lastLoginDay: status === "active" && rng.chance(0.6) ? -rng.int(1, 60) : null,
    });
    const includeSubs = hasSubs && (role === "admin" || role === "finance") && rng.chance(0.7);
    const restricted = acc.locations.length > 1 && (role === "buyer" || role === "viewer") && rng.chance(0.3)
      ? [rng.pick(acc.locations.slice(1))]
      : [];
    addMembership(ctx, acc, user, role, includeSubs, restricted);
  }
}

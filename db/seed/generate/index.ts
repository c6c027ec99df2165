import type { Faker } from "@faker-js/faker";
import { COUNTRIES, type FakerLocale } from "../reference";
import { accountSpecs } from "./account-specs";
import { addAccount } from "./accounts";
import { addKesslerContacts, addNordhavnContacts, addRandomContacts } from "./contacts";
import { createGeneratorContext, type GeneratorContext } from "./context";
import { addDataSheets, addStatements } from "./documents";
import type { Acc } from "./domain";
import { addKesslerScenarios } from "./kessler-scenarios";
import { assignNumbers, assignPaymentIds } from "./numbering";
import { randomOrderPlan } from "./order-plans";
import { realizeOrder } from "./orders";
import { addPortalRecords } from "./portal-records";
import { addRandomQuotes } from "./quotes";
import { addStaffUsers, addSupplierSettings } from "./supplier-and-staff";
import type { Tables } from "./tables";

/**
 * The demo data as plain rows per table, computed without a database: the same asOf always gives
 * the same rows (ids included). seed.ts inserts them in TABLE_ORDER.
 *
 * The steps below run in a fixed order on purpose: accounts draw from their own random streams, but
 * shared fakers, email/domain de-duplication and the numbering all depend on what came before.
 */

export { DEMO_LOGINS, DEMO_PASSWORD } from "./demo-logins";
export { SUPPLIER } from "./supplier-and-staff";
export { TABLE_ORDER, type Row, type TableName, type Tables } from "./tables";

export interface GeneratedData {
  tables: Tables;
  asOf: string;
}

export async function generateDemoData(options: { asOf: string; passwordHash: string }): Promise<GeneratedData> {
  // Loaded here, not at module level: faker is a dev dependency and only seeding needs it.
  const fakerModule = await import("@faker-js/faker");
  const fakers = Object.fromEntries(
    Object.values(COUNTRIES).map((c) => [c.fakerLocale, fakerModule[c.fakerLocale]]),
  ) as Record<FakerLocale, Faker>;
  return generate(createGeneratorContext(options.asOf, options.passwordHash, fakers));
}

function generate(ctx: GeneratorContext): GeneratedData {
  addSupplierSettings(ctx);
  addStaffUsers(ctx);
  for (const spec of accountSpecs()) addAccount(ctx, spec);
  addKesslerContacts(ctx);
  addNordhavnContacts(ctx);
  for (const acc of ctx.accounts) {
    if (acc.number !== "10001") addRandomContacts(ctx, acc);
  }
  for (const acc of ctx.accounts) addAccountHistory(ctx, acc);
  addKesslerScenarios(ctx);
  assignNumbers(ctx);
  for (const fn of ctx.afterNumbering) fn();
  for (const acc of ctx.accounts) addStatements(ctx, acc);
  addPortalRecords(ctx);
  assignPaymentIds(ctx);
  // Parents before children inside self-referencing tables.
  ctx.tables.invoices.sort((a, b) => Number(a.kind === "credit_note") - Number(b.kind === "credit_note"));
  return { tables: ctx.tables, asOf: ctx.cal.asOf };
}

/** An account's random history: orders over the last 18 months, then quotes, then data sheets. */
function addAccountHistory(ctx: GeneratorContext, acc: Acc) {
  const rng = acc.rng;
  const count = rng.int(acc.spec.orders[0], acc.spec.orders[1]);
  for (let i = 0; i < count; i++) realizeOrder(ctx, randomOrderPlan(ctx, acc, rng));
  addRandomQuotes(ctx, acc);
  addDataSheets(ctx, acc);
}

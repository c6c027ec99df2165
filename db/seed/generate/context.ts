import type { Faker } from "@faker-js/faker";
import { Calendar } from "../calendar";
import type { FakerLocale } from "../reference";
import type { Acc, Numbered, User } from "./domain";
import { emptyTables, type Tables } from "./tables";

/**
 * The state one generator run shares between its modules: the rows built so far and the lookups
 * later steps need (accounts by key, users by email). Every builder takes it as its first argument
 * instead of reaching for module-level state, so two runs never see each other's data.
 */
export interface GeneratorContext {
  readonly cal: Calendar;
  readonly tables: Tables;
  readonly accounts: Acc[];
  readonly byKey: Map<string, Acc>;
  /** Every email handed out so far: demo emails must be unique across contacts and staff. */
  readonly emails: Set<string>;
  /** Every account domain handed out so far: generated names can collide. */
  readonly domains: Set<string>;
  /** Documents waiting for their number (assigned once all dates are known, see numbering.ts). */
  readonly numbered: Numbered[];
  /** Texts that quote a document number, filled in after numbering. */
  readonly afterNumbering: (() => void)[];
  /** Supplier staff by the local part of their email ("admin", "sales", "support", "finance", "c.dubois"). */
  readonly staff: Map<string, User>;
  readonly users: Map<string, User>;
  readonly passwordHash: string;
  readonly fakers: Record<FakerLocale, Faker>;
  /** Account numbers 10001–10004 belong to the fixed demo accounts; generated ones continue here. */
  nextAccountNumber: number;
}

export function createGeneratorContext(asOf: string, passwordHash: string, fakers: Record<FakerLocale, Faker>): GeneratorContext {
  return {
    cal: new Calendar(asOf),
    tables: emptyTables(),
    accounts: [],
    byKey: new Map(),
    emails: new Set(),
    domains: new Set(),
    numbered: [],
    afterNumbering: [],
    staff: new Map(),
    users: new Map(),
    passwordHash,
    fakers,
    nextAccountNumber: 10005,
  };
}

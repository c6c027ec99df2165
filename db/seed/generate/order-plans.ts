import type { Rng } from "../random";
import type { Product } from "../reference";
import type { GeneratorContext } from "./context";
import type { Acc, OrderPlan, PlanLine } from "./domain";

/**
 * Order plans: what an order will look like over its whole life (lines, dates, partial deliveries,
 * fate). realizeOrder turns a plan into rows, keeping only what has happened by asOf.
 */

export function pickOrderLines(acc: Acc, rng: Rng): PlanLine[] {
  const n = rng.weighted([[1, 2], [2, 3], [3, 3], [4, 2], [5, 1], [6, 1]] as const);
  const products = rng.sample(acc.pool, n);
  if (products.every((p) => p.kind === "service")) products.push(rng.pick(acc.pool.filter((p) => p.kind !== "service")));
  return products.map((product) => planLine(acc, rng, product));
}

export function planLine(acc: Acc, rng: Rng, product: Product, quantity?: number): PlanLine {
  const [min, max, step] = product.qty;
  const units = quantity ?? step * rng.int(Math.ceil(min / step), Math.floor(max / step));
  return { product, qtyMilli: units * 1000, discountBP: product.kind === "service" ? 0 : acc.discountBP };
}

function splitFirstShipment(rng: Rng, lines: PlanLine[]): number[] | null {
  const goods = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.product.kind !== "service");
  if (goods.length === 0) return null;
  const first = lines.map((l) => l.qtyMilli);
  const partialCount = goods.length === 1 ? 1 : rng.int(1, Math.min(2, goods.length));
  const chosen = rng.sample(goods, partialCount);
  for (const { l, i } of chosen) {
    const step = l.product.qty[2] * 1000;
    const units = l.qtyMilli / step;
    if (units >= 2) first[i] = step * Math.max(1, Math.floor(units * (0.3 + rng.next() * 0.5)));
    else first[i] = 0;
  }
  // Sometimes a whole line waits for the second delivery.
  if (goods.length >= 3 && rng.chance(0.4)) {
    const wait = rng.pick(goods.filter(({ i }) => first[i] === lines[i].qtyMilli));
    if (wait) first[wait.i] = 0;
  }
  const shipsSomething = goods.some(({ i }) => first[i] > 0);
  const leavesSomething = goods.some(({ i, l }) => first[i] < l.qtyMilli);
  if (!shipsSomething || !leavesSomething) return null;
  return first;
}

export function randomOrderPlan(ctx: GeneratorContext, acc: Acc, rng: Rng, overrides: Partial<OrderPlan> = {}): OrderPlan {
  const cal = ctx.cal;
  const orderDay = overrides.orderDay ?? cal.back(-rng.int(1, 540));
  const lines = overrides.lines ?? pickOrderLines(acc, rng);
  const confirmDay = cal.fwd(orderDay + rng.int(1, 2));
  const productionDay = cal.fwd(confirmDay + rng.int(1, 4));
  const lead = rng.int(8, 30) + (acc.country.zone === "EXPORT" ? 5 : 0);
  const promisedDay = cal.fwd(orderDay + lead);
  const requestedDay = rng.chance(0.6) ? cal.fwd(orderDay + Math.max(3, lead - rng.int(0, 7))) : null;
  let ship1 = cal.back(promisedDay + rng.weighted([[-2, 1], [0, 4], [2, 2], [5, 1], [12, 0.5]] as const));
  if (ship1 <= productionDay) ship1 = cal.fwd(productionDay + 1);
  const firstQty = rng.chance(0.22) ? splitFirstShipment(rng, lines) : null;
  const shipDays = firstQty ? [ship1, cal.back(ship1 + rng.int(7, 35))] : [ship1];
  const [tMin, tMax] = acc.country.transit;
  const deliverDays = shipDays.map((d) => cal.fwd(d + rng.int(tMin, tMax)));
  let fate: OrderPlan["fate"] = "normal";
  let cancelDay: number | null = null;
  if (orderDay <= -20 && rng.chance(0.04)) {
    fate = "cancelled";
    cancelDay = cal.back(orderDay + rng.int(1, 12));
    if (cancelDay < orderDay) cancelDay = orderDay;
  } else if (orderDay > -40 && rng.chance(0.04)) {
    fate = "on_hold";
  }
  const buyers = acc.members.filter((m) => (m.role === "buyer" || m.role === "admin") && m.user.status === "active");
  const buyerMember = buyers.length > 0 && rng.chance(0.7) ? rng.pick(buyers) : null;
  const locWeights = acc.locations.map((l, i) => [l, i === 0 ? 5 : 3] as const);
  const plan: OrderPlan = {
    acc,
    loc: rng.weighted(locWeights),
    costCenter: acc.costCenters.length > 0 && rng.chance(0.6) ? rng.pick(acc.costCenters) : null,
    buyer: buyerMember?.user ?? null,
    buyerName: buyerMember?.user.name ?? (rng.chance(0.5) ? acc.faker.person.fullName() : null),
    customerReference: rng.chance(0.9) ? `${rng.pick(acc.country.poPrefix)}${rng.digits(rng.int(5, 7))}` : null,
    lines,
    orderDay,
    confirmDay,
    productionDay,
    promisedDay,
    requestedDay,
    fate,
    cancelDay,
    shipDays,
    deliverDays,
    firstQty,
    invoiceFates: [],
    creditNote: rng.chance(0.06) ? { mode: rng.chance(0.75) ? "partial" : "full", afterDays: rng.int(4, 40) } : null,
    exceptionChance: 0.15,
    ...overrides,
  };
  return plan;
}

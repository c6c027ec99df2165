import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * `npm run bench` runs every bench/<name>.bench.ts; `npm run bench -- search sync` runs those.
 * Each benchmark prints its table and writes bench/results/<name>.json; none fails on time.
 */
const dir = path.resolve("bench");
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${available.join(", ") || "none"}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n=== bench: ${name} ===`);
  const module = (await import(pathToFileURL(path.join(dir, `${name}.bench.ts`)).href)) as { default: () => Promise<void> };
  await module.default();
}

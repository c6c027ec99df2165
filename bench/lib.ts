import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** One measured case, in the shape ../shared/BENCH.md fixes. */
export interface BenchResult {
  case: string;
  metric: string;
  unit: string;
  value: number;
  baseline?: string;
  baseline_value?: number;
  samples?: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

function chromiumVersion(): string {
  try {
    return execFileSync("/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim().replace(/^Chromium\s+/, "chromium ").split(" ").slice(0, 2).join(" ");
  } catch {
    return "no chromium";
  }
}

/** Prints the results as a table and writes bench/results/<name>.json. Never judges the numbers. */
export function recordBench(name: string, results: BenchResult[]): void {
  const machine = `${os.cpus().length} cores, node ${process.version}, ${chromiumVersion()}`;
  const report = { name, date: new Date().toISOString(), machine, results };
  const dir = path.resolve("bench/results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(report, null, 2) + "\n");
  const round = (v: number | undefined) => (v === undefined ? "" : Number.isInteger(v) ? String(v) : v.toFixed(2));
  console.log(`\n${name} — ${machine}`);
  console.table(
    results.map((r) => ({
      case: r.case,
      metric: r.metric,
      value: `${round(r.value)} ${r.unit}`,
      baseline: r.baseline ? `${round(r.baseline_value)} ${r.unit} (${r.baseline})` : "",
      samples: r.samples ?? "",
    })),
  );
}

/**
 * Diagnostic, not a benchmark (`npx tsx bench/support/search-build-probe.ts`; DOCS=100000,
 * VARIANTS=a,b,…, ROUNDS=2): where the search index build's time goes, in Node, in memory (the same
 * sqlite-wasm build as the browser's worker). Loads the generated dataset of
 * electric/replica/test-data.ts once, then per variant and round drops and recreates the search
 * tables with that variant's FTS5 options, fills search_docs (timed per source) and runs FTS5's
 * 'rebuild' (timed), and prints CPU ms (this thread only does the build), the FTS5 data size and
 * the number of segments. Variants run interleaved, rounds alternate, so drift hits all alike.
 */
import { generateDataset, loadDataset, newReplica } from "../../electric/replica/test-data";
import { FTS_COLUMNS, SEARCH_DOC_COLUMNS, SEARCH_SCHEMA_SQL, SOURCES } from "../../electric/replica/search-sources";
import type { SqlDriver } from "../../electric/replica/driver";
import type * as Sources from "../../electric/replica/search-sources";

interface Variant {
  /** Replaces the FTS5 options after `content_rowid = 'doc_rowid',`. */
  fts?: string;
  /** Statements run on search_fts before the build (config). */
  config?: string[];
  /** How each source's SELECT is rewritten (the probe's stand-in for a changed search-sources.ts). */
  select?: (sql: string, source: string) => string;
  /** Replaces the schema SQL; such a variant fills search_fts itself (no 'rebuild') unless `rebuild`. */
  schema?: string;
  rebuild?: boolean;
  /** Other source SELECTs (the baseline's). */
  sources?: typeof SOURCES;
  /** Replaces the whole fill (all sources). */
  fill?: (driver: SqlDriver) => number;
}

/** The FTS5 options of search-sources.ts; a variant's `fts` replaces them. */
const BASE_FTS = "tokenize = 'unicode61 remove_diacritics 2'";
const dropDmy = (sql: string) => sql.replace(/, strftime\('%d\.%m\.%Y', substr\([^)]*\)\)/g, "");

const VARIANTS: Record<string, Variant> = {
  base: {},
  prefix23: { fts: "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'" },
  prefix2: { fts: "tokenize = 'unicode61 remove_diacritics 2', prefix = '2'" },
  prefix3: { fts: "tokenize = 'unicode61 remove_diacritics 2', prefix = '3'" },
  nodiacritics: { fts: "tokenize = 'unicode61 remove_diacritics 0'" },
  ascii: { fts: "tokenize = 'ascii'" },
  nocolumnsize: { fts: `${BASE_FTS}, columnsize = 0` },
  nodmy: { select: (sql) => dropDmy(sql) },
  noautomerge: { config: ["INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)"] },
  hash16: { config: ["INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 16777216)"] },
  hash256: { config: ["INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 268435456)"] },
  grouped: { select: (sql) => groupedLines(sql) },
  selectonly: { fill: (d) => SOURCES.reduce((n, s) => n + Number(d.selectValue(`SELECT count(*) FROM (${s.select})`)), 0) },
  selectmat: { fill: (d) => SOURCES.reduce((n, s) => n + Number(d.selectValue(`SELECT sum(length(f_lines) + length(f_other) + length(f_numbers)) > 0 FROM (${s.select})`)), 0) },
  lateindexes: {
    fill: (d) => {
      d.exec("DROP INDEX search_docs_date_idx; DROP INDEX search_docs_number_idx;");
      const insert = `INSERT INTO search_docs (${SEARCH_DOC_COLUMNS.join(", ")}) `;
      const n = [...SOURCES].reverse().reduce((sum, s) => sum + d.run(insert + s.select), 0);
      d.exec("CREATE INDEX search_docs_date_idx ON search_docs (doc_date DESC); CREATE INDEX search_docs_number_idx ON search_docs (upper(number));");
      return n;
    },
  },
  contentless: contentless(BASE_FTS),
  contentless_prefix23: contentless("tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"),
  pgsz16k: { config: ["INSERT INTO search_fts (search_fts, rank) VALUES ('pgsz', 16000)"] },
};

/**
 * The correlated `(SELECT group_concat(…) FROM lines l WHERE l.parent = x.id)` of a source as one
 * GROUP BY over the lines table, joined once.
 */
function groupedLines(sql: string): string {
  const m = sql.match(/\(SELECT group_concat\(concat_ws\(' ', l\.sku, l\.description\), ' '\) FROM (\w+) l WHERE l\.(\w+) = (\w+\.\w+)\)/);
  if (!m) return sql;
  const [whole, table, column, parent] = m;
  const replaced = sql.replace(whole, "gl.text");
  const join = ` LEFT JOIN (SELECT ${column} AS parent, group_concat(concat_ws(' ', sku, description), ' ') AS text FROM ${table} GROUP BY ${column}) gl ON gl.parent = ${parent}`;
  // Insert the join right after the FROM clause's first table (before its other joins is fine too).
  return replaced.replace(/ FROM (\w+) (\w) /, (all, t, a) => ` FROM ${t} ${a}${join} `);
}

/**
 * search_docs without the f_* text, FTS5 contentless (contentless_delete), filled by a second
 * SELECT per source that finds its doc_rowid through the (source, doc_id) key.
 */
function contentless(fts: string): Variant {
  const display = SEARCH_DOC_COLUMNS.filter((c) => !c.startsWith("f_"));
  const schema = SEARCH_SCHEMA_SQL.replace(FTS_COLUMNS.map((c) => `    ${c} TEXT,\n`).join(""), "")
    .replace("content = 'search_docs', content_rowid = 'doc_rowid'", "content = '', contentless_delete = 1")
    .replace(BASE_FTS, fts);
  if (schema.includes("f_other TEXT")) throw new Error("schema rewrite failed");
  return {
    schema,
    fill: (d) => {
      let n = 0;
      for (const s of [...SOURCES].reverse()) {
        const m = s.select.match(/^SELECT (.*) FROM ([\s\S]*)$/s)!;
        const exprs = new Map(m[1].split(/ AS (\w+)(?:, |$)/).reduce<[string, string][]>((acc, part, i, arr) => (i % 2 === 0 && arr[i + 1] ? [...acc, [arr[i + 1], part]] : acc), []).map(([c, e]) => [c, e]));
        n += d.run(`INSERT INTO search_docs (${display.join(", ")}) SELECT ${display.map((c) => exprs.get(c)).join(", ")} FROM ${m[2]}`);
        d.run(`INSERT INTO search_fts (rowid, ${FTS_COLUMNS.join(", ")}) SELECT sd.doc_rowid, ${FTS_COLUMNS.map((c) => exprs.get(c)).join(", ")}
               FROM ${m[2]} JOIN search_docs sd ON sd.source = '${s.source}' AND sd.doc_id = ${s.alias}.id`);
      }
      return n;
    },
  };
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function build(driver: SqlDriver, v: Variant) {
  driver.exec("DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_docs;");
  const schema = v.schema ?? (v.fts ? SEARCH_SCHEMA_SQL.replace(BASE_FTS, v.fts) : SEARCH_SCHEMA_SQL);
  driver.exec(schema);
  for (const c of v.config ?? []) driver.exec(c);
  const insert = `INSERT INTO search_docs (${SEARCH_DOC_COLUMNS.join(", ")}) `;
  let t = cpu();
  const perSource: string[] = [];
  let docs = 0;
  driver.transaction(() => {
    if (v.fill) docs = v.fill(driver);
    else {
      for (const s of [...(v.sources ?? SOURCES)].reverse()) {
        const t0 = cpu();
        docs += driver.run(insert + (v.select ? v.select(s.select, s.source) : s.select));
        perSource.push(`${s.source}=${(cpu() - t0).toFixed(0)}`);
      }
    }
  });
  const fillMs = cpu() - t;
  t = cpu();
  if (!v.schema || v.rebuild) driver.transaction(() => driver.run("INSERT INTO search_fts (search_fts) VALUES ('rebuild')"));
  const ftsMs = cpu() - t;
  const mb = Number(driver.selectValue("SELECT sum(length(block)) / 1048576.0 FROM search_fts_data"));
  const docsMb = v.schema && !v.rebuild ? 0 : Number(driver.selectValue(`SELECT sum(${FTS_COLUMNS.map((c) => `coalesce(length(${c}), 0)`).join(" + ")}) / 1048576.0 FROM search_docs`));
  return { docs, fillMs, ftsMs, mb, docsMb, perSource };
}

/** BASELINE=/work/main: variant "baseline" builds with that checkout's search schema and sources. */
if (process.env.BASELINE) {
  const base = (await import(`${process.env.BASELINE}/electric/replica/search-sources.ts`)) as typeof Sources;
  VARIANTS.baseline = { schema: base.SEARCH_SCHEMA_SQL, sources: base.SOURCES, rebuild: true };
}

const N = Number(process.env.DOCS ?? 100000);
const names = (process.env.VARIANTS ?? Object.keys(VARIANTS).join(",")).split(",");
const rounds = Number(process.env.ROUNDS ?? 2);
const driver = await newReplica();
const data = generateDataset(N);
const t = cpu();
loadDataset(driver, data);
console.log(`loaded ${N} documents in ${(cpu() - t).toFixed(0)} ms CPU`);
for (let r = 0; r < rounds; r += 1) {
  for (const name of r % 2 === 0 ? names : [...names].reverse()) {
    const v = VARIANTS[name];
    if (!v) throw new Error(`unknown variant ${name}`);
    const res = build(driver, v);
    console.log(
      `${name.padEnd(18)} round ${r}: fill ${res.fillMs.toFixed(0).padStart(5)} ms, fts ${res.ftsMs.toFixed(0).padStart(5)} ms, ` +
        `fts data ${res.mb.toFixed(1)} MB, indexed text ${res.docsMb.toFixed(2)} MB, ${res.docs} docs` +
        (process.env.PER_SOURCE ? `  [${res.perSource.join(" ")}]` : ""),
    );
  }
}

import type { SqlDriver, SqlParam } from "./driver";
import { DOCUMENT_TYPES, type DocumentType } from "./search-sources";

export { DOCUMENT_TYPES, type DocumentType } from "./search-sources";

/**
 * Document search over the replica: what was typed becomes an FTS5 query, run with the filters and
 * the ranking of decision 023. The index itself is built and kept current by search-index.ts.
 */

export interface SearchOptions {
  types?: readonly DocumentType[];
  /** Inclusive bounds on the document date, `YYYY-MM-DD`. */
  dateFrom?: string;
  dateTo?: string;
  status?: string | readonly string[];
  locationId?: string;
  costCenterId?: string;
  limit?: number;
  /**
   * How an unfiltered search ranks (decision 023). "bounded" (default): bm25 only when the query
   * has fewer than RANKED_MATCHES matches, otherwise numbers by prefix and then the most recently
   * indexed matches, unranked. "bm25": bm25 over every match, the ranking before decision 023,
   * kept so the search benchmark can time both in the same run.
   */
  ranking?: "bounded" | "bm25";
}

export interface SearchResult {
  type: DocumentType;
  id: string;
  number: string | null;
  title: string | null;
  subtitle: string | null;
  date: string | null;
  /** Decimal string as Postgres sends it (gross amount); null for documents without one. */
  amount: string | null;
  currency: string | null;
  status: string | null;
  orderId: string | null;
  orderNumber: string | null;
  locationId: string | null;
  /**
   * bm25 score (lower is better); null when the query had no search terms (newest first), and for
   * hits of a common query or number-prefix hits outside the bm25 candidates (decision 023).
   */
  score: number | null;
}

/**
 * Turns what a user typed into an FTS5 query: every whitespace-separated term becomes a quoted
 * phrase with a prefix star, terms are AND-ed. Quoting makes FTS5 syntax characters (- : ^ ( ) *)
 * plain text, so any input is a valid query; "INV-2024-0001" becomes "INV-2024-0001"* which the
 * tokenizer reads as the phrase inv 2024 0001*.
 */
export function toFtsQuery(input: string, options: { prefix?: PrefixMode } = {}): string | null {
  const mode = options.prefix ?? "all";
  const terms = input
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .map((t) => `"${t.replaceAll('"', '""')}"${starred(t, mode) ? "*" : ""}`);
  return terms.length > 0 ? terms.join(" AND ") : null;
}

/**
 * "all": every term is a prefix. "none": whole tokens only. "long": a term is a prefix unless its
 * last token has a single character ("PMP-IL-65-8", "FIT-UN-1"): FTS5 keeps no prefix index
 * (search-sources.ts), so "8"* merges the doclists of every token starting with 8 (amounts, dates,
 * numbers), 15–25 ms at 100k documents, before it can return a single row. Two or more characters
 * narrow the merge enough (a few ms at most in Node, decision 008, addendum "index build"). Numbers
 * typed up to a single-character token are still found by prefix, through the number index
 * (searchDocuments).
 */
export type PrefixMode = "all" | "none" | "long";

function starred(term: string, mode: PrefixMode): boolean {
  if (mode !== "long") return mode === "all";
  const last = term.match(/[\p{L}\p{N}]+/gu)?.at(-1) ?? "";
  return [...last].length >= 2;
}

/**
 * Column weights for bm25: a hit in a number outranks a reference, a line, then anything else.
 * A file is a copy of a document (or a certificate for one): it ranks at half weight, below the
 * document whose number it carries. bm25 is negative, better is lower, so halving moves it down.
 */
const SCORE = `bm25(search_fts, 10.0, 6.0, 2.0, 1.0) * (CASE d.doc_type WHEN 'file' THEN 0.5 ELSE 1.0 END)`;

/** How many bm25 candidates the unfiltered search joins per wanted result (files are re-weighted after). */
const CANDIDATES_PER_RESULT = 5;

/**
 * The ranking budget of an unfiltered search (decision 023): bm25 reads every match of the query
 * (its IDF pass and one score per row), ~5 µs a match in the browser, so a query with 20 000
 * matches ("Normpumpe", a common SKU) took 30–100 ms. A query with at least this many matches is
 * "common": it is answered in index order instead, which FTS5 stops after `limit` rows.
 */
export const RANKED_MATCHES = 1000;

const COLUMNS = `d.doc_type, d.doc_id, d.number, d.title, d.subtitle, d.doc_date, d.amount, d.currency, d.status, d.order_id,
    d.order_number, d.location_id`;

/** Matches up to RANKED_MATCHES (FTS5 stops there): the cheap pre-check of a bounded search. */
const countUpTo = (param: string) =>
  `(SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ${param} LIMIT ${RANKED_MATCHES}))`;

/** Documents whose own number starts with ?3 (any case): a range of search_docs_number_idx. */
const NUMBER_PREFIX = `upper(number) >= upper(?3) AND upper(number) < upper(?3) || char(1114111)`;

/** Up to ?4 (the limit) documents by number prefix: one short range of the number index. */
const countNumbers = `(SELECT count(*) FROM (SELECT 1 FROM search_docs WHERE ${NUMBER_PREFIX} LIMIT ?4))`;

/** How a search ended up being answered, for tests and diagnostics. */
export type SearchPlan = "numbers" | "ranked" | "common-exact" | "common-prefix";

/**
 * The plan of an unfiltered search, from ?1 (whole tokens), ?2 (prefix form), ?3 (number prefix)
 * and ?4 (limit). First the number index: when at least `limit` documents have a number that
 * starts with the query ("SO-2024-15"), they fill the whole page (numbers by prefix sort before
 * any other hit), so FTS5 is not asked at all. Its counts and bm25 were the whole cost of a number
 * prefix: "so" and "2024" are in most documents, so the phrase "so 2024 15" walks their
 * intersection (the search for "SO-2024-15" or "SO-2024-079": 4.6–6.2 ms in Node at 100k
 * documents, about 1 ms from the number index alone; decision 023, addendum). Then whole tokens
 * first, since a token with many matches streams (FTS5 reads its doclist lazily) while the prefix
 * form of the same term ("normpumpe"*) merges every matching doclist before the first row. If the
 * whole-token form alone has RANKED_MATCHES matches the user has typed a common word or code:
 * answer with it. Otherwise check the prefix form, and rank it with bm25 when it is rare. CASE
 * runs the second count only when the first did not decide.
 */
const PLAN_SQL = `SELECT CASE WHEN ${countNumbers} >= ?4 THEN 'numbers'
                              WHEN ${countUpTo("?1")} >= ${RANKED_MATCHES} THEN 'common-exact'
                              WHEN ?1 <> ?2 AND ${countUpTo("?2")} >= ${RANKED_MATCHES} THEN 'common-prefix'
                              ELSE 'ranked' END`;

/**
 * A MATCH no document has: a CTE of the plan not taken searches for it, which costs one b-tree
 * probe (a false WHERE guard next to MATCH would not stop FTS5 from evaluating the query).
 */
const NO_MATCH = `'"ledgerlightnomatchsentinel"'`;

/** ?1–?5 of BOUNDED_SQL (?1–?4 of PLAN_SQL); null when the query has no search terms. */
function boundedParams(query: string, limit: number): SqlParam[] | null {
  const exact = toFtsQuery(query, { prefix: "none" });
  const prefixed = toFtsQuery(query, { prefix: "long" });
  if (!exact || !prefixed) return null;
  const term = query.trim();
  const numberPrefix = term.length >= 2 && !/\s/.test(term) ? term : null;
  return [exact, prefixed, numberPrefix, limit, CANDIDATES_PER_RESULT * limit];
}

export function planSearch(driver: SqlDriver, query: string, limit = 20): SearchPlan | null {
  const params = boundedParams(query, limit);
  return params ? (driver.selectValue(PLAN_SQL, params.slice(0, 4)) as SearchPlan) : null;
}

/**
 * The unfiltered search as ONE statement (each statement is another round of FTS5 set-up and
 * page-cache validation, ~1 ms in the browser): the plan, then either nothing from FTS5 (plan
 * "numbers": the number index fills the page), the `limit` most recently indexed matches (common:
 * FTS5 walks the doclist backwards and stops) or the bm25 top candidates (rare), plus the documents
 * whose own number starts with the query (one term of 2+ characters, any case, via
 * search_docs_number_idx). Order: exact number, numbers by prefix from the highest down (numbers
 * are issued in sequence, so the newest documents first: "INV-2026" lists this year's latest
 * invoices, not its first ones), then by score (none for common queries), newest first.
 * ?1 whole-token query, ?2 prefix query, ?3 number prefix (NULL: none), ?4 limit, ?5 bm25 candidates.
 */
const BOUNDED_SQL = `WITH plan(p) AS MATERIALIZED (${PLAN_SQL}),
  hits AS MATERIALIZED (
    SELECT rowid FROM search_fts
     WHERE search_fts MATCH (SELECT CASE p WHEN 'common-exact' THEN ?1 WHEN 'common-prefix' THEN ?2 ELSE ${NO_MATCH} END FROM plan)
     ORDER BY rowid DESC LIMIT ?4
  ),
  ranked AS MATERIALIZED (
    SELECT rowid, bm25(search_fts, 10.0, 6.0, 2.0, 1.0) AS rank FROM search_fts
     WHERE search_fts MATCH (SELECT CASE p WHEN 'ranked' THEN ?2 ELSE ${NO_MATCH} END FROM plan)
     ORDER BY rank LIMIT ?5
  ),
  numbers AS (SELECT doc_rowid FROM search_docs WHERE ${NUMBER_PREFIX} ORDER BY upper(number) DESC LIMIT ?4),
  candidates AS (SELECT rowid FROM hits UNION SELECT rowid FROM ranked UNION SELECT doc_rowid FROM numbers)
  SELECT ${COLUMNS}, ranked.rank * (CASE d.doc_type WHEN 'file' THEN 0.5 ELSE 1.0 END) AS score
    FROM candidates c JOIN search_docs d ON d.doc_rowid = c.rowid LEFT JOIN ranked ON ranked.rowid = c.rowid
   ORDER BY (upper(d.number) = upper(?3)) DESC, (substr(upper(d.number), 1, length(?3)) = upper(?3)) DESC,
            CASE WHEN substr(upper(d.number), 1, length(?3)) = upper(?3) THEN upper(d.number) END DESC,
            score IS NULL, score, d.doc_date DESC, d.doc_rowid DESC
   LIMIT ?4`;

function boundedSearch(driver: SqlDriver, query: string, limit: number): SearchResult[] {
  const params = boundedParams(query, limit);
  return params ? driver.selectObjects<Record<string, string | number | null>>(BOUNDED_SQL, params).map(toResult) : [];
}

export function searchDocuments(driver: SqlDriver, query: string, options: SearchOptions = {}): SearchResult[] {
  const match = toFtsQuery(query);
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (match) {
    where.push("search_fts MATCH ?");
    params.push(match);
  }
  if (options.types && options.types.length > 0) {
    const types = options.types.filter((t) => (DOCUMENT_TYPES as readonly string[]).includes(t));
    where.push(`d.doc_type IN (${types.map(() => "?").join(", ") || "NULL"})`);
    params.push(...types);
  }
  if (options.dateFrom) {
    where.push("d.doc_date >= ?");
    params.push(options.dateFrom);
  }
  if (options.dateTo) {
    where.push("d.doc_date <= ?");
    params.push(options.dateTo);
  }
  const statuses = typeof options.status === "string" ? [options.status] : (options.status ?? []);
  if (statuses.length > 0) {
    where.push(`d.status IN (${statuses.map(() => "?").join(", ")})`);
    params.push(...statuses);
  }
  if (options.locationId) {
    where.push("d.location_id = ?");
    params.push(options.locationId);
  }
  if (options.costCenterId) {
    where.push("d.cost_center_id = ?");
    params.push(options.costCenterId);
  }
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), 200);
  const columns = COLUMNS;
  if (match && where.length === 1 && options.ranking !== "bm25") return boundedSearch(driver, query, limit);
  const filter = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
  let sql: string;
  if (match && where.length === 1) {
    // ranking "bm25" (the ranking before decision 023, for the benchmark): the palette's common case, terms without filters. Rank inside FTS5 first and join only the
    // best candidates: joining every match to its wide search_docs row before sorting read the
    // whole table for common words (seconds at 100k documents; bench/support/replica-sql-probe.ts).
    sql = `WITH ranked AS (
             SELECT rowid, bm25(search_fts, 10.0, 6.0, 2.0, 1.0) AS rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?
           )
           SELECT ${columns}, ranked.rank * (CASE d.doc_type WHEN 'file' THEN 0.5 ELSE 1.0 END) AS score
             FROM ranked JOIN search_docs d ON d.doc_rowid = ranked.rowid
            ORDER BY (upper(d.number) = upper(?)) DESC, score, d.doc_date DESC LIMIT ?`;
    params.splice(0, params.length, match, CANDIDATES_PER_RESULT * limit, query.trim(), limit);
  } else if (match) {
    // An exact document number (any case) goes first, then bm25, then the newest.
    sql = `SELECT ${columns}, ${SCORE} AS score FROM search_fts JOIN search_docs d ON d.doc_rowid = search_fts.rowid ${filter}
           ORDER BY (upper(d.number) = upper(?)) DESC, score, d.doc_date DESC LIMIT ?`;
    params.push(query.trim(), limit);
  } else {
    sql = `SELECT ${columns}, NULL AS score FROM search_docs d ${filter} ORDER BY d.doc_date DESC, d.number DESC LIMIT ?`;
    params.push(limit);
  }
  return driver.selectObjects<Record<string, string | number | null>>(sql, params).map(toResult);
}

function toResult(row: Record<string, string | number | null>): SearchResult {
  const text = (key: string) => (row[key] == null ? null : String(row[key]));
  return {
    type: row.doc_type as DocumentType,
    id: String(row.doc_id),
    number: text("number"),
    title: text("title"),
    subtitle: text("subtitle"),
    date: text("doc_date"),
    amount: text("amount"),
    currency: text("currency"),
    status: text("status"),
    orderId: text("order_id"),
    orderNumber: text("order_number"),
    locationId: text("location_id"),
    score: typeof row.score === "number" ? row.score : null,
  };
}

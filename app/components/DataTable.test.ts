import { describe, expect, it } from "vitest";
import { LIST_LIMIT } from "~/modules/lists";
import { cappedNotice } from "./DataTable";

describe("a list cut at the query's row limit", () => {
  it("says so once the rows reach the limit, in the contact's language", () => {
    expect(cappedNotice("en", LIST_LIMIT - 1, LIST_LIMIT)).toBeNull();
    expect(cappedNotice("en", LIST_LIMIT, LIST_LIMIT)).toBe(`the first ${LIST_LIMIT} matches – more exist: narrow the search or filters`);
    expect(cappedNotice("de", LIST_LIMIT, LIST_LIMIT)).toBe(`die ersten ${LIST_LIMIT} Treffer – es gibt mehr: Suche oder Filter eingrenzen`);
    expect(cappedNotice("de", 10_000, undefined)).toBeNull(); // a list without a query limit is complete
  });
});

import { describe, expect, it } from "vitest";
import type { ReplicaStatus } from "../../electric/replica/replica.client";
import { syncLabel } from "./SyncIndicator";

function status(phase: ReplicaStatus["phase"], shapes: { hasData: boolean }[], searchReady: boolean): ReplicaStatus {
  return {
    phase, mode: null, progress: 4, searchReady, commits: 0, applyMs: 0, error: null, wipedReason: null, openMs: 10, index: null, role: "leader",
    shapes: shapes.map((s, i) => ({ name: `s${i}`, upToDate: false, hasData: s.hasData, rows: 1, syncedAt: null, error: null })),
  };
}

describe("syncLabel", () => {
  it("shows the first sync's progress, and a reload's catch-up as updating", () => {
    expect(syncLabel(status("syncing", [{ hasData: true }, { hasData: false }], false), null, "de").label).toBe("Synchronisiere 4 %");
    expect(syncLabel(status("syncing", [{ hasData: true }, { hasData: true }], true), null, "de").label).toBe("Aktualisiere…");
    expect(syncLabel(status("syncing", [{ hasData: true }, { hasData: true }], true), null, "en").label).toBe("Updating…");
    // Every shape has rows but the index is not built yet: still the first sync.
    expect(syncLabel(status("syncing", [{ hasData: true }], false), null, "en").label).toBe("Syncing 4 %");
  });

  it("says offline since when, whatever the replica does", () => {
    const since = new Date("2026-12-06T10:00:00Z");
    expect(syncLabel(status("ready", [], true), since, "en")).toMatchObject({ tone: "warn", label: expect.stringMatching(/^Offline since /) });
  });
});

import { describe, expect, it } from "vitest";
import { formatWhy, type Row } from "./table.js";

describe("formatWhy", () => {
  it("lists each goal not met with what stands in the way, one line per reason, and nothing for met goals or anchors", () => {
    const rows: Row[] = [
      { section: "s", figure: "a", goal: "≤ 4.0 kB", measured: "5.7 kB (5718 B)", met: false, why: "core" },
      { section: "s", figure: "b", goal: "≤ 4.0 kB", measured: "5.8 kB (5840 B)", met: false, why: "core" },
      { section: "s", figure: "c", goal: "≤ 8 kB", measured: "7.9 kB", met: true, why: "never shown" },
      { section: "s", figure: "d", goal: "", measured: "2.7 kB" },
      { section: "s", figure: "e", goal: "≥ 0.95×", measured: "0.91× (0.9–0.93), 3000/s", met: false },
    ];
    expect(formatWhy(rows)).toBe(
      "Not met, and what stands in the way:\n" +
        "- a (goal ≤ 4.0 kB, measured 5.7 kB (5718 B)); b (goal ≤ 4.0 kB, measured 5.8 kB (5840 B)): core\n" +
        "- e (goal ≥ 0.95×, measured 0.91× (0.9–0.93)): see issue 11\n\n",
    );
    expect(formatWhy(rows.filter((r) => r.met !== false))).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { progressLine, rateLimitSummary, rateNote } from "./batch.js";
import { durationText } from "./text.js";

describe("the batch progress line", () => {
  it("fits the terminal: the count, the failures and the ETA always show, the bar takes what is left", () => {
    for (const columns of [40, 80, 120]) {
      const line = progressLine()(12, 40, 1, columns, 1000);
      expect(line.length).toBeLessThan(columns);
      expect(line).toContain("12/40 refs · 1 failed · eta");
    }
    expect(progressLine()(12, 40, 0, 120, 1000).match(/[█░]/g)).toHaveLength(40);
    expect(progressLine()(5, 0, 0, 40)).toBe("5 refs · 0 failed");
  });

  it("shows the gateways' paces that fit whole, never cut mid-word", () => {
    const note = "openrouter 98/s · zenmux paused 12s · fastrouter 4.5/s · vercel 120/s";
    for (const columns of [40, 80, 120]) {
      const line = progressLine()(12, 2000, 1, columns, 1000, note);
      expect(line.length).toBeLessThan(columns);
      const shown = line.split(" · ").slice(3);
      for (const piece of shown) expect(note.split(" · ")).toContain(piece);
    }
    expect(progressLine()(12, 2000, 1, 120, 1000, note)).toContain("openrouter 98/s · zenmux paused 12s");
  });

  it("paces the ETA by refs looked up, not by those a resumed run skips at once", () => {
    const line = progressLine();
    // 1,500 refs done before, skipped in the first second; then 10 lookups a second.
    line(0, 2000, 0, 120, 0, "", 0);
    line(1500, 2000, 0, 120, 1000, "", 0);
    let text = "";
    for (let t = 2000, n = 10; t <= 12_000; t += 1000, n += 10) text = line(1500 + n, 2000, 0, 120, t, "", n);
    const m = /eta (?:(\d+)m )?(\d+)s$/.exec(text);
    const seconds = Number(m?.[1] ?? 0) * 60 + Number(m?.[2]);
    expect(seconds).toBeGreaterThan(20);
  });

  it("smooths the ETA over seconds instead of jumping with each burst of refs", () => {
    const line = progressLine();
    const etas: string[] = [];
    // 10 refs a second on average, arriving in bursts: 40 at once, then nothing for four seconds.
    let value = 0;
    for (let t = 0; t <= 60_000; t += 1000) {
      if (t % 4000 === 0) value += 40;
      etas.push(/eta (\S+( \S+s)?)$/.exec(line(Math.min(value, 1000), 1000, 0, 120, t))?.[1] ?? "");
    }
    const seconds = etas.slice(10, 50).map((e) => {
      const m = /^(?:(\d+)m )?(\d+)s$/.exec(e);
      return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : Number.NaN;
    });
    // Each second the ETA moves by about a second, never by the 3x swings of an instant rate.
    for (let i = 1; i < seconds.length; i++) {
      expect(Math.abs((seconds[i] as number) - (seconds[i - 1] as number))).toBeLessThan(25);
    }
    expect(durationText(9.4)).toBe("9s");
    expect(durationText(80)).toBe("1m 20s");
    expect(durationText(7500)).toBe("2h 5m");
  });
});

describe("rate limits on the progress line and in the summary", () => {
  const state = { requests: 10, rateLimited: 3, rate: 98.4, source: "learned" as const, waiting: 0 };
  it("shows each limited gateway's pace, or its pause", () => {
    expect(rateNote({ openrouter: { ...state, pausedUntil: undefined } }, 0)).toBe("openrouter 98/s");
    expect(rateNote({ openrouter: { ...state, pausedUntil: 2000 } }, 0)).toBe("openrouter paused 2s");
    expect(rateNote({ zenmux: { ...state, rate: undefined, source: "none", pausedUntil: undefined } }, 0)).toBe("");
  });
  it("sums up the 429s met, and nothing when there were none", () => {
    expect(rateLimitSummary({ openrouter: { ...state, pausedUntil: undefined } })).toBe(
      "3 rate-limited answers (429) from openrouter in 10 requests, paced at 98/s at the end; none counted as a failure unless past --deadline",
    );
    expect(rateLimitSummary({ openrouter: { ...state, rateLimited: 0, pausedUntil: undefined } })).toBe("");
  });
});

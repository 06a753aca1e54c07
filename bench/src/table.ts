// The one table `pnpm bench` prints: every figure of issue 11, its goal, what this run measured, met or not.
import type { Spread } from "./stats.js";

export interface Row {
  section: string;
  figure: string;
  /** Empty for an anchor (measured for comparison), "–" for a figure shown for information only. */
  goal: string;
  measured: string;
  /** undefined: an anchor, or not measured. */
  met?: boolean;
  /** For a goal not met: what stands in the way, with the figures of this run that show it. */
  why?: string;
}

const fixed = (n: number, digits: number) => n.toFixed(digits);

/** `1.23× (1.20–1.31)`: the median, then min–max over the rounds. */
export const times = (s: Spread, digits = 2) =>
  `${fixed(s.median, digits)}× (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
export const ms = (s: Spread) => `${fixed(s.median, 0)} ms (${fixed(s.min, 0)}–${fixed(s.max, 0)})`;
export const seconds = (s: Spread) =>
  `${fixed(s.median / 1000, 2)} s (${fixed(s.min / 1000, 2)}–${fixed(s.max / 1000, 2)})`;
export const perSecond = (s: Spread) => `${fixed(s.median, 0)}/s (${fixed(s.min, 0)}–${fixed(s.max, 0)})`;
export const mib = (s: Spread) => `${fixed(s.median, 0)} MiB (${fixed(s.min, 0)}–${fixed(s.max, 0)})`;
/** kB as the issue counts them: 1000 bytes. */
export const kB = (bytes: number) => `${fixed(bytes / 1000, 1)} kB (${bytes} B)`;

export function formatTable(rows: readonly Row[]): string {
  const header: Row = { section: "", figure: "figure", goal: "goal", measured: "measured: median (min–max)" };
  const cells = (r: Row) => [r.figure, r.goal || "anchor", r.measured, r === header ? "met" : metText(r.met, r.goal)];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((r) => cells(r)[i]!.length)));
  const line = (r: Row) =>
    cells(r)
      .map((c, i) => c.padEnd(widths[i]!))
      .join(" │ ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("─┼─");
  const out = [line(header), rule];
  let section = "";
  for (const r of rows) {
    if (r.section !== section) {
      if (section) out.push(rule);
      out.push(`▸ ${r.section}`);
      section = r.section;
    }
    out.push(line(r));
  }
  return out.join("\n");
}

function metText(met: boolean | undefined, goal: string): string {
  if (!goal || goal === "–") return "";
  if (met === undefined) return "not measured";
  return met ? "met" : "NOT MET";
}

/** The goals not met, with what stands in the way (figures with the same reason share one line). */
export function formatWhy(rows: readonly Row[]): string {
  const open = rows.filter((r) => r.goal && r.goal !== "–" && r.met !== true);
  if (open.length === 0) return "";
  const byWhy = new Map<string, Row[]>();
  for (const r of open) {
    const why = r.why ?? "see issue 11";
    byWhy.set(why, [...(byWhy.get(why) ?? []), r]);
  }
  const lines = [...byWhy].map(
    ([why, rs]) =>
      `- ${rs.map((r) => `${r.figure} (goal ${r.goal}, measured ${r.measured.split(", ")[0]})`).join("; ")}: ${why}`,
  );
  return `Not met, and what stands in the way:\n${lines.join("\n")}\n\n`;
}

// How the command prints. Colour only on a TTY, never with NO_COLOR (nor in CI or on a dumb terminal),
// FORCE_COLOR honoured: Node's own rule (util.styleText's `stream` check), applied here because Node
// before 20.18 ignores styleText's options and always colours.
import { WriteStream } from "node:tty";
import { styleText } from "node:util";
import type { CostItem, Generation } from "@genledger/normalize";
import { clean } from "./text.js";

type Style = Parameters<typeof styleText>[0];

export function painter(stream: NodeJS.WriteStream) {
  // getColorDepth reads NO_COLOR, FORCE_COLOR, CI and TERM; a pipe has none of its own, so borrow the TTY one.
  const depth = () => WriteStream.prototype.getColorDepth.call(stream);
  const colour = process.env.FORCE_COLOR !== undefined ? depth() > 2 : stream.isTTY === true && depth() > 2;
  return (style: Style, text: string) => (colour ? styleText(style, text, { stream, validateStream: false }) : text);
}

const n = (v: number | null) => (v === null ? "–" : String(v));
/** A duration with its unit; an unknown one is a dash alone. */
const msText = (v: number | null) => (v === null ? "–" : `${v} ms`);

export function costText(g: Generation): string {
  if (g.cost) {
    // Not billed: worked out by the gateway from a price table (its own, or the caller's).
    const notes = [g.billing === "final" ? null : g.billing, g.cost.basis === "billed" ? null : g.cost.basis];
    const said = notes.filter(Boolean).join(", ");
    return `${g.cost.amount} ${g.cost.currency}${said ? ` (${said})` : ""}`;
  }
  return g.billing === "final" ? "–" : `(${g.billing})`;
}

/** The readable summary of `genledger get`. */
export function summary(g: Generation, paint: ReturnType<typeof painter>): string {
  const u = g.usage;
  const via = [g.upstream.provider, g.upstream.id].filter(Boolean).join(", ");
  const lines: Array<[string, string]> = [
    ["model", `${g.model ?? "–"}${via ? ` (via ${via})` : ""}`],
    ["status", `${g.status}${g.finishReason ? ` (finish: ${g.finishReason})` : ""}${g.error ? ` — ${g.error}` : ""}`],
    ["created", g.createdAt ?? "–"],
    [
      "tokens",
      `in ${n(u.inputTokens)}${u.cachedInputTokens ? ` (cached ${u.cachedInputTokens})` : ""} · out ${n(u.outputTokens)}${
        u.reasoningTokens ? ` (reasoning ${u.reasoningTokens})` : ""
      } · total ${n(u.totalTokens)}`,
    ],
    ["timing", `first token ${msText(g.timing.timeToFirstTokenMs)} · generation ${msText(g.timing.generationMs)}`],
    ["cost", costText(g) + (g.cost?.upstreamAmount ? ` + upstream ${g.cost.upstreamAmount} (BYOK)` : "")],
  ];
  return [
    paint("bold", clean(`${g.provider} ${g.id}`)),
    ...lines.map(([k, v]) => `  ${paint("dim", k.padEnd(8))} ${clean(v)}`),
  ].join("\n");
}

/** A plain aligned table; cells cleaned of control characters. */
export function table(headers: string[], cells: string[][]): string {
  const rows = cells.map((row) => row.map(clean));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function generationRow(g: Generation): string[] {
  return [
    g.provider,
    g.id,
    g.model ?? "–",
    g.status,
    `${n(g.usage.inputTokens)}/${n(g.usage.outputTokens)}`,
    costText(g),
  ];
}

export const generationHeaders = ["gateway", "id", "model", "status", "tokens in/out", "cost"];

export function totalsText(totals: Record<string, string>): string {
  const parts = Object.entries(totals)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, amount]) => `${amount} ${currency}`);
  return parts.length ? parts.join(", ") : "nothing billed";
}

/** A cost's items as a sum: the parts added, then the total they make (`market 0.1 + surcharge 0.01 = gateway 0.11`). */
export function breakdownText(items: readonly CostItem[]): string {
  const parts = items.filter((i) => i.kind !== "total").map((i) => `${i.item} ${i.amount ?? "–"}`);
  const totals = items.filter((i) => i.kind === "total").map((i) => `${i.item} ${i.amount ?? "–"}`);
  return [parts.join(" + "), ...totals].filter(Boolean).join(" = ");
}

// Text from a gateway is data: printed, it must not drive the terminal; serialised, it must not crash a batch.
import type { Report } from "@genledger/store";

// ANSI/VT escape sequences (CSI, OSC, DCS/PM/APC strings, two-byte escapes), then any other control character.
const escapeSequence =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[ -~]?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const controlCharacter = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]+/g;
// What JSON.stringify leaves raw but a terminal acts on: C1 controls (U+009B is a CSI) and bidi overrides.
const terminalUnsafe = /[\u0080-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** JSON text with every character a terminal would act on written as a `\\uXXXX` escape: the same JSON. */
export function escapeForTerminal(json: string): string {
  return json.replace(terminalUnsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `text` on one line with every escape sequence and control character removed (runs of them become one space). */
export function clean(text: string): string {
  return text.replace(escapeSequence, "").replace(controlCharacter, " ");
}

/** `text` with every control character (ESC, BEL, CR, C1, bidi overrides) shown as a `\\uXXXX` escape: seen, never run. */
export function escapeControls(text: string): string {
  return text.replace(controlCharacter, (run) =>
    [...run].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
  );
}

/**
 * JSON text, or the reason it cannot be made (a cycle, a BigInt, nesting too deep for the stack).
 * Characters a terminal acts on are escaped, so the same text is safe in a file and on a screen.
 */
export function toJson(value: unknown, space?: number): { text: string } | { error: Error } {
  try {
    return { text: escapeForTerminal(JSON.stringify(value, null, space)) };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** `1 ref`, `2 refs`: a count with its noun, singular for one. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `9s`, `1m 20s`, `2h 5m`. */
export function durationText(seconds: number): string {
  if (!Number.isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/**
 * Where the totals mix what was billed with what a gateway computed from a price table (Cloudflare,
 * LiteLLM, Helicone) and the report does not show them apart: how many, in words; else undefined.
 */
export function basisNote(report: Report): string | undefined {
  const { computed = 0, custom = 0 } = report.total.bases;
  if (computed + custom === 0 || report.by.includes("basis")) return undefined;
  const own = custom ? ` (${custom} from your own prices)` : "";
  return `${plural(computed + custom, "record")} of these cost what the gateway computed from a price table${own}, not what it billed`;
}

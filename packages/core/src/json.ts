// The JSON reader for gateway bodies. JSON.parse does the work; one scan of the text first refuses
// absurd nesting (so nothing downstream can overflow the stack) and finds the rare number a double
// cannot hold, whose digits are then recorded for exact money.
import { recordNumberText } from "./exact-number.js";

/** Real bodies nest a handful of levels; anything past this is refused. */
export const maxJsonDepth = 128;

/**
 * Parse a gateway's JSON body. Throws an Error saying what is wrong when the text is not JSON or
 * nests deeper than `maxJsonDepth`. A number a double cannot hold exactly keeps its source digits,
 * readable with `exactNumberText(holder, key)`.
 */
export function parseJson(text: string): unknown {
  const lossy = scan(text);
  if (!lossy) return JSON.parse(text);
  // Rare: swap each lossy number for a string no gateway can guess, parse, then swap back.
  const tag = `\u0000genledger-number-${Math.random().toString(36).slice(2)}:`;
  const digits: string[] = [];
  let swapped = "";
  let last = 0;
  for (let i = 0; i < lossy.length; i += 2) {
    swapped += text.slice(last, lossy[i]) + JSON.stringify(tag + digits.length);
    digits.push(text.slice(lossy[i], lossy[i + 1]));
    last = lossy[i + 1] as number;
  }
  const value: unknown = JSON.parse(swapped + text.slice(last));
  const number = (v: unknown) =>
    typeof v === "string" && v.startsWith(tag) ? (digits[Number(v.slice(tag.length))] as string) : undefined;
  const root = number(value);
  if (root !== undefined) return Number(root);
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const holder = stack.pop();
    if (!holder || typeof holder !== "object") continue;
    for (const key of Object.keys(holder)) {
      const child = (holder as Record<string, unknown>)[key];
      const source = number(child);
      if (source === undefined) {
        stack.push(child);
        continue;
      }
      // defineProperty, not assignment: a `__proto__` key stays plain data.
      Object.defineProperty(holder, key, {
        value: Number(source),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      recordNumberText(holder, key, source);
    }
  }
  return value;
}

/**
 * One pass over the text outside strings: throws past `maxJsonDepth`, and returns the
 * [start, end) offsets of number tokens a double does not hold exactly (undefined when none).
 */
function scan(text: string): number[] | undefined {
  let depth = 0;
  let lossy: number[] | undefined;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Jump to the closing quote: one not preceded by an odd run of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return lossy; // unterminated: JSON.parse says so
        let b = i - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((i - 1 - b) % 2 === 0) break;
      }
    } else if (c === 123 || c === 91) {
      if (++depth > maxJsonDepth) throw new Error(`JSON nested deeper than ${maxJsonDepth} levels`);
    } else if (c === 125 || c === 93) {
      depth--;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      let e = -1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 101 || d === 69) e = j;
        else if (!((d >= 48 && d <= 57) || d === 46 || d === 43 || d === 45)) break;
      }
      // Up to 15 significant digits and a small exponent always survive a double.
      if ((j - i > 15 || (e > 0 && j - e > 3)) && !isExact(text.slice(i, j))) {
        lossy ??= [];
        lossy.push(i, j);
      }
      i = j - 1;
    }
  }
  return lossy;
}

function isExact(token: string): boolean {
  const value = Number(token);
  return Number.isFinite(value) && decimal(token) === decimal(String(value));
}

/** A number's text as `<sign><digits>e<exponent>`, without leading or trailing zeros. */
function decimal(text: string): string {
  let s = text;
  const sign = s.startsWith("-") ? "-" : "";
  if (sign) s = s.slice(1);
  let exponent = 0;
  const e = s.search(/e/i);
  if (e >= 0) {
    exponent = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf(".");
  if (dot >= 0) {
    exponent -= s.length - dot - 1;
    s = s.slice(0, dot) + s.slice(dot + 1);
  }
  s = s.replace(/^0+/, "");
  const digits = s.replace(/0+$/, "");
  return digits ? `${sign}${digits}e${exponent + s.length - digits.length}` : "0";
}

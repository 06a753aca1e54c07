// JSON numbers that a double cannot hold exactly keep the digits the gateway sent, so money stays
// exact. `parseJsonExact` records them on the object that holds them (a non-enumerable symbol, so
// the body and JSON.stringify are unchanged); `exactNumberText` reads them back.
import { scanJson } from "./json.js";

const numberText = Symbol.for("genledger.numberText");

type WithNumberText = { [numberText]?: Record<string, string> };

/** The digits the gateway sent for `holder[key]` when a double could not hold them, else undefined. */
export function exactNumberText(holder: object, key: string): string | undefined {
  return (holder as WithNumberText)[numberText]?.[key];
}

/** Remember the source digits of `holder[key]`. */
export function recordNumberText(holder: object, key: string, text: string): void {
  const h = holder as WithNumberText;
  if (!h[numberText]) Object.defineProperty(holder, numberText, { value: {} });
  (h[numberText] as Record<string, string>)[key] = text;
}

/**
 * `parseJson`, and a number a double cannot hold exactly keeps its source digits, readable with
 * `exactNumberText(holder, key)`. Pass it as the client option `parseJson` to get them from a
 * gateway client; @genledger/normalize does.
 */
export function parseJsonExact(text: string): unknown {
  const lossy: number[] = [];
  scanJson(text, (t, i) => {
    let j = i + 1;
    let e = -1;
    for (; j < t.length; j++) {
      const d = t.charCodeAt(j);
      if (d === 101 || d === 69) e = j;
      else if (!((d >= 48 && d <= 57) || d === 46 || d === 43 || d === 45)) break;
    }
    // Up to 15 significant digits and a small exponent always survive a double.
    if ((j - i > 15 || (e > 0 && j - e > 3)) && !isExact(t.slice(i, j))) lossy.push(i, j);
    return j;
  });
  if (lossy.length === 0) return JSON.parse(text);
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
